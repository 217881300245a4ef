import { isDeepStrictEqual } from 'node:util';
import fastJsonStringify from 'fast-json-stringify';
import type { FastifySerializerCompiler } from 'fastify';
import { serializerCompiler as zodSerializerCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { $ZodType } from 'zod/v4/core';

/**
 * Response serialisation (ADR 0006). The zod response schema stays the contract; what turns a
 * handler's value into JSON is fast-json-stringify, compiled from the JSON Schema zod produces for
 * that schema. Like zod's own serialiser it writes only the properties the schema names, so a field
 * a handler forgot to drop never reaches the client; unlike it, it does not check every value again
 * on every response (that check cost a fifth of an authenticated request's throughput).
 *
 * A schema whose JSON Schema would not mean what the zod schema means (a transform, a string check
 * that rewrites the value, a loose object, recursion…) keeps zod's serialiser: slower, never wrong.
 */

type ZodSchema = z.ZodType;
type Serialise = (data: unknown) => string;
type JsonSchemaNode = Record<string, unknown>;

interface ZodDef {
  type: string;
  shape?: Record<string, ZodSchema>;
  catchall?: ZodSchema;
  options?: readonly ZodSchema[];
  element?: ZodSchema;
  innerType?: ZodSchema;
  keyType?: ZodSchema;
  valueType?: ZodSchema;
  values?: readonly unknown[];
  checks?: readonly { _zod: { def: { check: string } } }[];
}

const defOf = (schema: ZodSchema): ZodDef => (schema as unknown as { _zod: { def: ZodDef } })._zod.def;

const rewrites = (def: ZodDef): boolean =>
  def.checks?.some((check) => check._zod.def.check === 'overwrite') ?? false;

/**
 * Why fast-json-stringify cannot stand in for zod on this schema, or null when it can. Only types
 * whose JSON Schema says exactly what zod's encoding does are let through.
 */
export function unsupportedPart(schema: ZodSchema, seen = new Set<ZodSchema>()): string | null {
  if (seen.has(schema)) return null;
  seen.add(schema);
  const def = defOf(schema);
  switch (def.type) {
    case 'string':
      // `.trim()`, `.toLowerCase()`… rewrite the value as zod encodes it; a JSON Schema cannot.
      return rewrites(def) ? 'a rewriting check' : null;
    case 'number':
    case 'boolean':
    case 'null':
    case 'enum':
    case 'unknown':
    case 'any':
      return null;
    case 'literal':
      return def.values?.every(
        (value) => value === null || ['string', 'number', 'boolean'].includes(typeof value),
      )
        ? null
        : 'a literal JSON cannot hold';
    case 'object': {
      // A strip object (no catchall) or a strict one (catchall never): unknown keys are not written.
      if (def.catchall && defOf(def.catchall).type !== 'never') return 'an object that passes unknown keys';
      for (const [key, property] of Object.entries(def.shape ?? {})) {
        const why = unsupportedPart(property, seen);
        if (why) return `${key}: ${why}`;
      }
      return null;
    }
    case 'array':
      return rewrites(def) ? 'a rewriting check' : unsupportedPart(def.element as ZodSchema, seen);
    case 'union':
      for (const option of def.options ?? []) {
        const why = unsupportedPart(option, seen);
        if (why) return why;
      }
      return null;
    case 'optional':
    case 'nullable':
    case 'readonly':
      return unsupportedPart(def.innerType as ZodSchema, seen);
    case 'record': {
      const keyType = defOf(def.keyType as ZodSchema).type;
      if (keyType !== 'string' && keyType !== 'enum') return 'a record keyed by other than strings';
      return (
        unsupportedPart(def.keyType as ZodSchema, seen) ?? unsupportedPart(def.valueType as ZodSchema, seen)
      );
    }
    default:
      // transform, pipe, default, catch, lazy, date, bigint, tuple, intersection, custom…
      return `a ${def.type}`;
  }
}

/**
 * The JSON Schema fast-json-stringify compiles: zod's output-side schema, with one change. A strip
 * object's `additionalProperties: false` is left out: fast-json-stringify writes only the named
 * properties either way, and without it a union picks the same branch zod's does (zod strips
 * unknown keys from a branch rather than rejecting it; a strict object still rejects them).
 */
export function serialisationJsonSchema(schema: ZodSchema): JsonSchemaNode {
  return z.toJSONSchema(schema, {
    io: 'output',
    target: 'draft-07',
    unrepresentable: 'throw',
    override: ({ zodSchema, jsonSchema }) => {
      const def = defOf(zodSchema as unknown as ZodSchema);
      if (def.type === 'object' && def.catchall === undefined) delete jsonSchema.additionalProperties;
    },
  }) as JsonSchemaNode;
}

/** Compiles a fast serialiser for a zod schema, or explains why zod must keep it. */
export function compileFastSerialiser(schema: ZodSchema): { serialise: Serialise } | { unsupported: string } {
  const why = unsupportedPart(schema);
  if (why) return { unsupported: why };
  try {
    return {
      serialise: fastJsonStringify(
        serialisationJsonSchema(schema) as unknown as Parameters<typeof fastJsonStringify>[0],
      ),
    };
  } catch (error) {
    return { unsupported: error instanceof Error ? error.message : String(error) };
  }
}

export interface ResponseSerialiserOptions {
  /**
   * Also encode every response with zod and refuse it if zod refuses it or reads it differently:
   * the tests run this way (NODE_ENV=test), so every API test checks the fast serialiser against
   * the contract and a handler that drifts from its schema still fails.
   */
  checkAgainstZod?: boolean;
  /** Told of each schema zod keeps serialising, and why. */
  onUnsupported?: (route: string, reason: string) => void;
}

function resolveZodSchema(maybeSchema: unknown): ZodSchema | null {
  if (maybeSchema instanceof $ZodType) return maybeSchema as unknown as ZodSchema;
  if (typeof maybeSchema === 'object' && maybeSchema !== null && 'properties' in maybeSchema) {
    const { properties } = maybeSchema as { properties: unknown };
    if (properties instanceof $ZodType) return properties as unknown as ZodSchema;
  }
  return null;
}

/** Fastify's serializer compiler for zod response schemas (see the top of this file). */
export function createResponseSerializerCompiler(
  options: ResponseSerialiserOptions = {},
): FastifySerializerCompiler<unknown> {
  // Many routes share one schema (a person, a case): each is compiled once.
  const compiled = new WeakMap<ZodSchema, Serialise | null>();
  return (routeSchema) => {
    const {
      schema: maybeSchema,
      method,
      url,
    } = routeSchema as { schema: unknown; method: string; url: string };
    const schema = resolveZodSchema(maybeSchema);
    const zodSerialise = zodSerializerCompiler(
      routeSchema as Parameters<typeof zodSerializerCompiler>[0],
    ) as Serialise;
    if (!schema) return zodSerialise;
    let fast = compiled.get(schema);
    if (fast === undefined) {
      const result = compileFastSerialiser(schema);
      fast = 'serialise' in result ? result.serialise : null;
      if ('unsupported' in result) options.onUnsupported?.(`${method} ${url}`, result.unsupported);
      compiled.set(schema, fast);
    }
    if (!fast) return zodSerialise;
    if (!options.checkAgainstZod) return fast;
    const serialise = fast;
    return (data: unknown) => {
      const expected = zodSerialise(data); // throws as before when the value breaks the contract
      const written = serialise(data);
      // The message names the route, never the values (it is logged).
      if (!isDeepStrictEqual(JSON.parse(written), JSON.parse(expected))) {
        throw new Error(`${method} ${url}: the fast serialiser and zod wrote different JSON`);
      }
      return written;
    };
  };
}
