/**
 * What each config key allows, in words, derived from the zod schema through its JSON-schema form
 * (`z.toJSONSchema`), so the error messages and docs/configs.md's table never restate a rule by
 * hand. A key whose rule is more than zod checks (a cross-key bound, what null means) states its
 * text in the schema with `.meta({ allowed })`, which wins.
 */
import { z } from './zodModule.js';

/**
 * The wording of a rule this module cannot put in words; a test fails while any key has it (give
 * that key `.meta({ allowed })`). Not an exception, so an unworded key never stops the CLI loading.
 */
export const UNWORDED = 'a value as docs/configs.md describes';

/** The part of a JSON schema that the wording reads. */
export interface JsonSchemaNode {
  readonly type?: string;
  readonly const?: unknown;
  readonly enum?: readonly unknown[];
  readonly anyOf?: readonly JsonSchemaNode[];
  readonly items?: JsonSchemaNode;
  readonly minItems?: number;
  readonly properties?: Readonly<Record<string, JsonSchemaNode>>;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly exclusiveMaximum?: number;
  readonly minLength?: number;
  readonly default?: unknown;
  readonly description?: string;
  /** Set by `.meta({ allowed })`: the wording, stated by hand. */
  readonly allowed?: string;
}

/** The JSON schema of a zod object schema, as a config file is written (input side: defaults optional). */
export function configJsonSchema(schema: z.ZodType): JsonSchemaNode {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchemaNode;
}

/** Every key's wording, dotted for nested keys ('lr_scheduler_kwargs.gamma', 'init.X_train'). */
export function allowedValuesOf(schema: z.ZodType): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (node: JsonSchemaNode, prefix: string) => {
    for (const [key, child] of Object.entries(node.properties ?? {})) {
      out[prefix + key] = describeAllowed(child);
      const nested = objectMember(child);
      if (nested) visit(nested, `${prefix}${key}.`);
    }
  };
  visit(configJsonSchema(schema), '');
  return out;
}

/** The object a property holds (itself, or the non-null member of a nullable object), if any. */
export function objectMember(node: JsonSchemaNode): JsonSchemaNode | undefined {
  if (node.properties) return node;
  return node.anyOf?.find((member) => member.properties);
}

/** Whether a node is a list of `scalar` (the second member of a sweep key's union). */
function isListOf(node: JsonSchemaNode, scalar: JsonSchemaNode): boolean {
  return node.type === 'array' && JSON.stringify(node.items) === JSON.stringify(scalar);
}

/** One key's rule in words ('an integer >= 1', "'sgd' or 'adam' (or a list of them, for esdlab sweep)", ...). */
export function describeAllowed(node: JsonSchemaNode): string {
  if (node.allowed !== undefined) return node.allowed;
  if (node.anyOf) {
    const members = node.anyOf.filter((member) => member.type !== 'null');
    const isNullable = members.length < node.anyOf.length;
    let text: string;
    if (members.length === 2 && isListOf(members[1]!, members[0]!)) text = `${describeAllowed(members[0]!)} (or a list of them, for esdlab sweep)`;
    else if (members.length === 1) text = describeAllowed(members[0]!);
    else text = `one of: ${members.map(describeAllowed).join('; ')}`;
    if (!isNullable) return text;
    return members.length === 1 && members[0]!.const !== undefined ? `${text} or null` : `${text}, or null`;
  }
  if (node.const !== undefined) return literal(node.const);
  if (node.enum) {
    const values = node.enum.map(literal);
    return values.length === 2 ? `${values[0]} or ${values[1]}` : `one of ${values.join(', ')}`;
  }
  switch (node.type) {
    case 'boolean':
      return 'true or false';
    case 'integer':
    case 'number':
      return describeNumber(node);
    case 'string':
      return (node.minLength ?? 0) >= 1 ? 'a non-empty string' : 'a string';
    case 'array':
      return node.items ? `a ${(node.minItems ?? 0) >= 1 ? 'non-empty ' : ''}list of: ${describeAllowed(node.items)}` : UNWORDED;
    case 'object':
      return node.properties ? `a mapping with ${Object.keys(node.properties).join(' and ')}` : UNWORDED;
    default:
      return UNWORDED;
  }
}

function describeNumber(node: JsonSchemaNode): string {
  const noun = node.type === 'integer' ? 'an integer' : 'a number';
  const lower = node.exclusiveMinimum !== undefined ? { value: node.exclusiveMinimum, open: true } : node.minimum !== undefined ? { value: node.minimum, open: false } : null;
  const hasMaximum = node.maximum !== undefined && node.maximum < Number.MAX_SAFE_INTEGER;
  const upper = node.exclusiveMaximum !== undefined ? { value: node.exclusiveMaximum, open: true } : hasMaximum ? { value: node.maximum!, open: false } : null;
  if (lower && upper) return `${noun} in ${lower.open ? '(' : '['}${lower.value}, ${upper.value}${upper.open ? ')' : ']'}`;
  if (lower) return `${noun} ${lower.open ? '>' : '>='} ${lower.value}`;
  if (upper) return `${noun} ${upper.open ? '<' : '<='} ${upper.value}`;
  return noun;
}

function literal(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : String(value);
}
