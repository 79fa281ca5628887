/**
 * Writes a docker-compose.yml that starts nats-server with JetStream and one
 * container per host, each reading its `<host>.env` file.
 */
import type { HostProfile } from '../rules/variables';
import { connectionSlots, type ConnectionSlot } from './host-file';
import { DEFAULT_NATS_PORT, NATS_SERVICE, type Credentials, type NatsServer } from './request';

export const COMPOSE_FILE_NAME = 'docker-compose.yml';

/**
 * Container images per host version. OTP hosts were published as
 * `wasmcloud/wasmcloud_host` (last release 0.63.1) and Rust hosts as
 * `wasmcloud/wasmcloud`, as wasmCloud's own compose examples use them.
 */
export const HOST_IMAGES: Readonly<Record<HostProfile, string>> = {
  otp: 'wasmcloud/wasmcloud_host:0.63.1',
  '0.8x': 'wasmcloud/wasmcloud:0.82.0',
  '1.x': 'wasmcloud/wasmcloud:1.0.4',
};

export const NATS_IMAGE = 'nats:2.10-alpine';

/** Folder inside each host container where creds files are mounted. */
const CREDS_MOUNT_FOLDER = '/run/secrets';

export interface ComposeInput {
  readonly lattice: string;
  readonly profile: HostProfile;
  readonly hosts: readonly { readonly host: string; readonly fileName: string; readonly server: NatsServer }[];
  readonly credentials: Readonly<Record<ConnectionSlot['id'], Credentials>>;
  readonly created: Date;
}

/**
 * Renders the compose file. The host files stay usable outside compose: the
 * `environment` entries, which compose applies over `env_file`, point the
 * hosts at the nats service and at the mounted creds files.
 */
export function renderCompose(input: ComposeInput): string {
  const slots = connectionSlots(input.profile);
  const usesAuth = slots.some((slot) => input.credentials[slot.id].kind !== 'none');
  const publishedPort = localPort(input.hosts[0]?.server);

  const lines: string[] = [
    `# nats-server with JetStream and the wasmCloud hosts of lattice '${input.lattice}'.`,
    `# Written by wasmCloud Lattice on ${input.created.toISOString().slice(0, 10)}. Start it with: docker compose up -d`,
    '# Each host reads its .env file. The environment entries, which win over env_file,',
    '# point the hosts at the nats service below instead of the servers in the .env files.',
  ];
  if (usesAuth) {
    lines.push('# NOTE: this nats service accepts clients without authentication. Give it your', '# server configuration (operator, accounts) to check the credentials in the .env files.');
  }
  lines.push(
    'services:',
    `  ${NATS_SERVICE}:`,
    `    image: ${NATS_IMAGE}`,
    '    command: ["--jetstream", "--store_dir", "/data"]',
    '    ports:',
    `      - "127.0.0.1:${publishedPort}:${DEFAULT_NATS_PORT}"`,
    '    volumes:',
    '      - nats-data:/data',
  );

  for (const host of input.hosts) {
    lines.push(`  ${yamlKey(host.host)}:`, `    image: ${HOST_IMAGES[input.profile]}`, '    depends_on:', `      - ${NATS_SERVICE}`, '    env_file:', `      - ${JSON.stringify(`./${host.fileName}`)}`, '    environment:');
    const mounts: string[] = [];
    for (const slot of slots) {
      lines.push(`      ${slot.prefix}_HOST: ${NATS_SERVICE}`, `      ${slot.prefix}_PORT: "${DEFAULT_NATS_PORT}"`);
      if (host.server.tls) {
        // The nats service has no TLS listener.
        lines.push(`      ${slot.prefix}_TLS: "${input.profile === 'otp' && slot.id === 'providers' ? '0' : 'false'}"`);
      }
      const credentials = input.credentials[slot.id];
      if (credentials.kind === 'creds-file') {
        const target = `${CREDS_MOUNT_FOLDER}/wasmcloud-${slot.id}.creds`;
        lines.push(`      ${slot.prefix}_CREDS: ${target}`);
        mounts.push('      - type: bind', `        source: ${JSON.stringify(credentials.path)}`, `        target: ${target}`, '        read_only: true');
      }
    }
    if (mounts.length > 0) {
      lines.push('    volumes:', ...mounts);
    }
  }

  lines.push('volumes:', '  nats-data: {}');
  return lines.map((line) => `${line}\n`).join('');
}

/** Returns the port to publish nats on: the first server's port when it is a loopback address, else 4222. */
function localPort(server: NatsServer | undefined): number {
  if (server !== undefined && (server.host === 'localhost' || server.host === '::1' || server.host.startsWith('127.'))) {
    return server.port;
  }
  return DEFAULT_NATS_PORT;
}

// YAML 1.1 reads these plain words as booleans or null, and compose would then see no service name.
const YAML_SPECIAL = /^(?:y|n|yes|no|on|off|true|false|null|~)$/i;

function yamlKey(name: string): string {
  return /^[A-Za-z][A-Za-z0-9_-]*$/.test(name) && !YAML_SPECIAL.test(name) ? name : JSON.stringify(name);
}
