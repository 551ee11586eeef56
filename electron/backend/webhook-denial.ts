// An admission webhook's denial, read as field errors. Kubernetes passes a webhook's refusal through as a Status
// with the webhook's code (Knative answers 400 BadRequest) and only a message, no `details.causes`:
//
//   admission webhook "validation.webhook.serving.knative.dev" denied the request: validation failed: expected
//   6s <= 5s <= 1h0m0s: spec.template.metadata.annotations.autoscaling.knative.dev/window
//   expected 0 <= 2000 <= 1000: spec.template.spec.containerConcurrency
//
// Knative's apis.FieldError prints one problem per line as `<message>: <path>[, <path>…]` (optionally followed by a
// line of details). A value of the wrong type never reaches validation: the defaulting webhook cannot decode the
// object and says so with Go's json error, whose path carries Go struct names of inlined structs:
//
//   admission webhook "webhook.serving.knative.dev" denied the request: mutation failed: cannot decode incoming new
//   object: json: cannot unmarshal string into Go struct field RevisionSpec.spec.ConfigurationSpec.template.spec.
//   containerConcurrency of type int64
//
// On a cluster without the webhook the same mistakes are 422s with causes from the CRD schema; this module gives
// the webhook's answer the same shape, so the UI puts both next to their field.
import type { ErrorCause } from '../common/errors';

export interface WebhookDenial {
  /** The webhook's name as the API server reports it (`validation.webhook.serving.knative.dev`). */
  webhook: string;
  /** What the webhook said, without the API server's prefix. */
  message: string;
  /** One cause per problem that names a field path. */
  causes: ErrorCause[];
}

const DENIAL = /admission webhook "([^"]+)" denied the request:\s*([\s\S]*)$/;
const DECODE = /json: cannot unmarshal (\w+) into Go struct field (\S+) of type (\S+)/;
/** A field path of the object as Knative prints it: from metadata or spec, dotted, [i] indexes, keys with `/`. */
const PATH = /^(metadata|spec)([.[][\w.\-/[\]]*)?$/;

export function webhookDenialOf(statusMessage: string): WebhookDenial | null {
  const match = DENIAL.exec(statusMessage);
  if (!match) return null;
  const message = match[2]!.trim();
  return { webhook: match[1]!, message, causes: causesOf(message) };
}

function causesOf(message: string): ErrorCause[] {
  const decode = DECODE.exec(message);
  if (decode) {
    const [, got, goField, type] = decode;
    return [
      {
        field: jsonPathOfGoField(goField!),
        reason: 'FieldValueTypeInvalid',
        message: `must be ${typeWord(type!)}, not a ${got}`,
      },
    ];
  }
  const causes: ErrorCause[] = [];
  const body = message.replace(/^(validation|mutation) failed:\s*/, '');
  let previous: ErrorCause[] = [];
  for (const line of body.split('\n').map((text) => text.trim())) {
    const at = line.lastIndexOf(': ');
    const paths = at < 0 ? [] : line.slice(at + 2).split(', ');
    if (paths.length > 0 && paths.every((path) => PATH.test(path))) {
      previous = paths.map((field) => ({ field, reason: 'FieldValueInvalid', message: line }));
      causes.push(...previous);
    } else if (line) {
      // A line of details (`image: "x", error: could not parse reference: x`) belongs to the problem above it.
      for (const cause of previous) cause.message = `${cause.message} (${line})`;
      previous = [];
    }
  }
  return causes;
}

/**
 * Go's json error names the field as `<struct>.<json path>`, where inlined (embedded) structs appear by their Go type
 * name (`ConfigurationSpec`, `PodSpec`). JSON keys of Kubernetes objects start in lower case; Go type names do not.
 */
function jsonPathOfGoField(goField: string): string {
  const [, ...rest] = goField.split('.');
  return rest.filter((segment) => !/^[A-Z]/.test(segment)).join('.');
}

function typeWord(goType: string): string {
  if (/^u?int\d*$/.test(goType)) return 'an integer';
  if (/^float\d*$/.test(goType)) return 'a number';
  if (goType === 'bool') return 'true or false';
  if (goType === 'string') return 'a string';
  if (goType.startsWith('[]')) return 'a list';
  if (goType.startsWith('map[')) return 'a map';
  return `of type ${goType}`;
}
