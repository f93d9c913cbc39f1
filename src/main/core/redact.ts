import { inspect } from 'node:util';

/** Shorter values are not looked for: replacing every "root" or "1234" would garble messages. */
const MIN_SECRET_LENGTH = 6;

/**
 * The last line of defence for secrets (decision 0033): the core remembers every API key and
 * token it reads or is given, and whatever leaves it (Api answers, thrown errors, events) goes
 * through here, with each of them replaced by "[secret]". The first line is not to put them in
 * a message at all; this catches a server that echoes a key back, or a library error that
 * carries one in its cause.
 */
export class Redactor {
  private readonly secrets = new Set<string>();

  remember(secret: string | null | undefined): void {
    const value = secret?.trim();
    if (value && value.length >= MIN_SECRET_LENGTH) this.secrets.add(value);
  }

  /** Every remembered secret, longest first (a key that contains another is replaced whole). */
  private list(): string[] {
    return [...this.secrets].sort((a, b) => b.length - a.length);
  }

  holdsSecret(text: string): boolean {
    for (const s of this.secrets) if (text.includes(s)) return true;
    return false;
  }

  text(value: string): string {
    if (!this.holdsSecret(value)) return value;
    let out = value;
    for (const s of this.list()) out = out.split(s).join('[secret]');
    return out;
  }

  /** A copy of a JSON-like value with secrets replaced in every string; unchanged parts are shared. */
  value<T>(value: T, depth = 0): T {
    if (this.secrets.size === 0 || depth > 64) return value;
    if (typeof value === 'string') return this.text(value) as T;
    if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return value;
    if (Array.isArray(value)) {
      let changed = false;
      const out = value.map((item) => {
        const next = this.value(item, depth + 1);
        if (next !== item) changed = true;
        return next;
      });
      return (changed ? out : value) as T;
    }
    if (Object.getPrototypeOf(value) !== Object.prototype) return value;
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const [k, item] of Object.entries(value)) {
      const next = this.value(item, depth + 1);
      if (next !== item) changed = true;
      out[k] = next;
    }
    return (changed ? out : value) as T;
  }

  /**
   * The error a handler threw, safe to answer and to log: its message and stack without
   * secrets, and without its cause (or any other property) when that holds one somewhere.
   */
  error(error: unknown): unknown {
    if (this.secrets.size === 0) return error;
    if (!(error instanceof Error)) return typeof error === 'string' ? this.text(error) : error;
    if (!this.holdsSecret(inspect(error, { depth: 8, showHidden: true }))) return error;
    const clean = new Error(this.text(error.message));
    clean.name = error.name;
    clean.stack = this.text(error.stack ?? `${error.name}: ${error.message}`);
    return clean;
  }
}

/** The handlers with every answer and every thrown error passed through the redactor. */
export function redactedHandlers<H extends object>(redactor: Redactor, handlers: H): H {
  const out: Record<string, (input: unknown) => Promise<unknown>> = {};
  for (const [name, handler] of Object.entries(handlers) as [
    string,
    (input: unknown) => Promise<unknown>,
  ][]) {
    out[name] = async (input) => {
      try {
        return redactor.value(await handler(input));
      } catch (error) {
        throw redactor.error(error);
      }
    };
  }
  return out as H;
}
