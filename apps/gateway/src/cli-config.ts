import {
  booleanVariable,
  defineConfigSection,
  type GatewayEnv,
  GatewayConfigError,
  readConfigSection,
  type SectionConfig,
  type VariableType,
  variable,
} from '@qdrant-kit/hono';
import * as z from 'zod/mini';

const workersVariable: VariableType<number | 'auto'> = {
  schema: z.string().check(z.regex(/^(auto|[1-9]\d*)$/, 'must be a positive integer or "auto"')),
  read: (text) => (text === 'auto' ? 'auto' : Number.parseInt(text, 10)),
  show: String,
};

/** The variables only the `qdrant-gateway` command reads (beside the gateway's own). */
export const CLI_VARIABLES = defineConfigSection('Node CLI', {
  dev: variable({
    name: 'QDRANT_GATEWAY_DEV',
    type: booleanVariable,
    default: false,
    description:
      'Development only: a throwaway admin key and printed example keys, like `--dev`; refused when a real key is set',
  }),
  workers: variable({
    name: 'QDRANT_GATEWAY_WORKERS',
    type: workersVariable,
    default: 1 as number | 'auto',
    description:
      'Node CLI only: processes sharing the port (a number, or `auto` for one per core); SIGTERM drains all',
  }),
});

/** What the CLI reads from {@link CLI_VARIABLES}. */
export type CliConfig = SectionConfig<typeof CLI_VARIABLES>;

/**
 * Reads {@link CLI_VARIABLES} from an environment.
 *
 * @throws {@link GatewayConfigError} naming each bad variable.
 */
export function parseCliConfig(env: GatewayEnv): CliConfig {
  const read = readConfigSection(CLI_VARIABLES, env);
  if (!read.ok) throw new GatewayConfigError(read.issues);
  return read.config;
}
