// Configuration variables, each written once: its name, the zod schema of its text, its default
// and its description. Parsing, the defaults, and the variable tables of the README and the docs
// all come from these definitions. A feature adds its own section of variables
// (`defineConfigSection`) next to its code; nothing central lists them.
import * as z from 'zod/mini';

/** How the text of one kind of variable is validated, read and shown in docs. */
export interface VariableType<T> {
  /** Validates the text; messages never quote it (it may be a secret). */
  readonly schema: z.ZodMiniType<string, string>;
  /** The value of a valid text; `undefined` reads as unset (the default applies). */
  read(text: string): T | undefined;
  /** How a value is written in the docs' default column. */
  show(value: T): string;
}

/** Whether a variable must be set, has a default, or may stay unset. */
export type Presence = 'required' | 'default' | 'optional';

/** One environment variable. Build it with {@link variable}. */
export interface ConfigVariable<T = unknown, P extends Presence = Presence> {
  /** The variable's name in the environment. */
  readonly name: string;
  readonly presence: P;
  readonly type: VariableType<T>;
  /** The value when unset (`presence: 'default'` only). */
  readonly default: P extends 'default' ? T : undefined;
  /** One line for the docs' tables. */
  readonly description: string;
}

/** Settings of {@link variable}. */
export type VariableDefinition<T, P extends Presence> = {
  readonly name: string;
  readonly type: VariableType<T>;
  readonly description: string;
} & (P extends 'default'
  ? { readonly default: T }
  : P extends 'required'
    ? { readonly required: true }
    : { readonly default?: undefined; readonly required?: false });

/** Defines a variable that has a default. */
export function variable<T>(
  definition: VariableDefinition<T, 'default'>,
): ConfigVariable<T, 'default'>;
/** Defines a variable that must be set. */
export function variable<T>(
  definition: VariableDefinition<T, 'required'>,
): ConfigVariable<T, 'required'>;
/** Defines a variable that may stay unset (`undefined`). */
export function variable<T>(
  definition: VariableDefinition<T, 'optional'>,
): ConfigVariable<T, 'optional'>;
export function variable<T>(definition: {
  readonly name: string;
  readonly type: VariableType<T>;
  readonly description: string;
  readonly default?: T;
  readonly required?: boolean;
}): ConfigVariable<T> {
  const presence: Presence =
    definition.default !== undefined ? 'default' : definition.required ? 'required' : 'optional';
  return {
    name: definition.name,
    presence,
    type: definition.type,
    default: definition.default as never,
    description: definition.description,
  };
}

/** A named group of variables one part of the gateway reads, keyed by its configuration field. */
export interface ConfigSection<
  V extends Record<string, ConfigVariable> = Record<string, ConfigVariable>,
> {
  /** Who reads these variables, e.g. `gateway` or `Node CLI`; shown in the docs. */
  readonly title: string;
  readonly variables: V;
}

/** Defines a section of variables. */
export function defineConfigSection<const V extends Record<string, ConfigVariable>>(
  title: string,
  variables: V,
): ConfigSection<V> {
  return { title, variables };
}

type ValueOf<C> =
  C extends ConfigVariable<infer T, infer P> ? (P extends 'optional' ? T | undefined : T) : never;

/** The configuration a section reads: one field per variable (optional where it may be unset). */
export type SectionConfig<S extends ConfigSection> = {
  readonly [K in keyof S['variables'] as S['variables'][K] extends ConfigVariable<
    unknown,
    'optional'
  >
    ? never
    : K]: ValueOf<S['variables'][K]>;
} & {
  readonly [K in keyof S['variables'] as S['variables'][K] extends ConfigVariable<
    unknown,
    'optional'
  >
    ? K
    : never]?: ValueOf<S['variables'][K]>;
};

/** The default of every variable of a section that has one. */
export type SectionDefaults<S extends ConfigSection> = {
  readonly [K in keyof S['variables'] as S['variables'][K] extends ConfigVariable<
    unknown,
    'default'
  >
    ? K
    : never]: ValueOf<S['variables'][K]>;
};

/** The defaults of a section, by field. */
export function sectionDefaults<S extends ConfigSection>(section: S): SectionDefaults<S> {
  const defaults: Record<string, unknown> = {};
  for (const [field, v] of Object.entries(section.variables)) {
    if (v.presence === 'default') defaults[field] = v.default;
  }
  return defaults as SectionDefaults<S>;
}

/** An environment as the runtimes hand it over (`process.env`, Workers `env`, `Deno.env.toObject()`). */
export type ConfigEnv = Readonly<Record<string, unknown>>;

/** What {@link readConfigSection} found: the configuration, or the issues (naming variables only). */
export type SectionRead<S extends ConfigSection> =
  | { readonly ok: true; readonly config: SectionConfig<S> }
  | { readonly ok: false; readonly issues: readonly string[] };

/**
 * Reads a section's variables from an environment. Non-string values (Workers bindings such as
 * KV namespaces) count as unset. Never throws; issues name each bad variable, never its value.
 */
export function readConfigSection<S extends ConfigSection>(
  section: S,
  env: ConfigEnv,
): SectionRead<S> {
  const issues: string[] = [];
  const config: Record<string, unknown> = {};
  for (const [field, v] of Object.entries(section.variables)) {
    const text = env[v.name];
    if (typeof text !== 'string') {
      if (v.presence === 'required') issues.push(`${v.name} is required`);
      else config[field] = v.default;
      continue;
    }
    const checked = v.type.schema.safeParse(text);
    if (!checked.success) {
      for (const issue of checked.error.issues) issues.push(`${v.name} ${issue.message}`);
      continue;
    }
    config[field] = v.type.read(text) ?? v.default;
  }
  return issues.length > 0
    ? { ok: false, issues }
    : { ok: true, config: config as SectionConfig<S> };
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** The default column of a variable: `required`, `unset`, or its default. */
function defaultCell(v: ConfigVariable): string {
  if (v.presence === 'required') return 'required';
  if (v.presence === 'optional') return 'unset';
  return `\`${v.type.show(v.default)}\``;
}

/**
 * Whether a value is a {@link ConfigSection} (so docs tooling can find every section a package
 * exports without a list of them).
 */
export function isConfigSection(value: unknown): value is ConfigSection {
  if (typeof value !== 'object' || value === null) return false;
  const { title, variables } = value as Partial<ConfigSection>;
  return (
    typeof title === 'string' &&
    typeof variables === 'object' &&
    variables !== null &&
    Object.values(variables).every(
      (v) => typeof (v as Partial<ConfigVariable>).name === 'string' && 'presence' in v,
    )
  );
}

/**
 * Every {@link ConfigSection} among a module's exports (`import * as m`), the `gateway` section
 * first, then by title: a feature's section is documented as soon as the package exports it.
 */
export function configSectionsOf(exports: Readonly<Record<string, unknown>>): ConfigSection[] {
  const sections: ConfigSection[] = [];
  for (const value of Object.values(exports)) if (isConfigSection(value)) sections.push(value);
  const rank = (section: ConfigSection) => (section.title === 'gateway' ? 0 : 1);
  return sections.sort((a, b) => rank(a) - rank(b) || a.title.localeCompare(b.title));
}

/**
 * The Markdown table of the given sections' variables (variable, default, meaning), as the README
 * and the docs show it: tests compare both with this, `pnpm config-docs` rewrites them.
 */
export function configTableMarkdown(sections: readonly ConfigSection[]): string {
  const rows = ['| Variable | Default | Meaning |', '| -------- | ------- | ------- |'];
  for (const section of sections) {
    for (const v of Object.values(section.variables)) {
      rows.push(`| \`${v.name}\` | ${cell(defaultCell(v))} | ${cell(v.description)} |`);
    }
  }
  return rows.join('\n');
}

const BOOLEAN_TEXTS = ['true', 'false', '1', '0', 'yes', 'no', 'on', 'off', ''] as const;

/** `true`/`1`/`yes`/`on`, `false`/`0`/`no`/`off`; empty = the default. */
export const booleanVariable: VariableType<boolean> = {
  schema: z.enum(BOOLEAN_TEXTS) as unknown as z.ZodMiniType<string, string>,
  read: (text) => (text === '' ? undefined : ['true', '1', 'yes', 'on'].includes(text)),
  show: String,
};

/** A whole number of at least `min` and at most `max`. */
export function integerVariable(
  min = 0,
  max = Number.MAX_SAFE_INTEGER,
  rangeMessage = `must be at least ${min}`,
): VariableType<number> {
  return {
    schema: z.string().check(
      z.regex(/^\d+$/, 'must be a positive integer'),
      z.refine((text) => {
        const n = Number.parseInt(text, 10);
        return !/^\d+$/.test(text) || (n >= min && n <= max);
      }, rangeMessage),
    ),
    read: (text) => Number.parseInt(text, 10),
    show: String,
  };
}

/** Any text; empty = unset (`secret`: never shown, never quoted). */
export const textVariable: VariableType<string> = {
  schema: z.string(),
  read: (text) => (text === '' ? undefined : text),
  show: (value) => value,
};
