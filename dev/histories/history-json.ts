import path from 'node:path';
import { historyFromJSON, historyToJSON, type History } from '@temporalio/common/lib/proto-utils';
import * as proto from '@temporalio/proto';
import { patchProtobufRoot } from '@temporalio/proto/lib/patch-protobuf-root';

/**
 * Temporal histories to and from the JSON format of `temporal workflow show --output json` and
 * the Web UI's download, via @temporalio/common's `historyToJSON` / `historyFromJSON`.
 *
 * Why a wrapper: in 1.24 those two functions check `type instanceof Type` against the protobufjs
 * copy that @temporalio/common resolves, while the History type comes from the copy that
 * @temporalio/proto resolves. When npm cannot hoist one shared protobufjs 8 (here: grpc-js's
 * proto-loader keeps protobufjs 7 at the top of node_modules), each package gets its own copy and
 * both functions throw "type must be a Type". The fallback does the same conversion with the
 * ProtoJSON codec of @temporalio/proto's own protobufjs copy. Same output, same input format.
 */
interface ProtoJson {
  toJson(type: unknown, message: unknown, options?: object): unknown;
  fromJson(type: unknown, json: unknown, options?: object): unknown;
}

let fallback: { codec: ProtoJson; historyType: unknown } | undefined;
function protoJson(): { codec: ProtoJson; historyType: unknown } {
  if (!fallback) {
    const protoDir = path.dirname(require.resolve('@temporalio/proto/package.json'));
    // Through the module system (not createRequire), so jest's module registry shares the copy.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const codec = require(require.resolve('protobufjs/ext/protojson', { paths: [protoDir] })) as ProtoJson;
    const root = patchProtobufRoot(proto) as unknown as { lookupType(name: string): unknown };
    fallback = { codec, historyType: root.lookupType('temporal.api.history.v1.History') };
  }
  return fallback;
}

const isTypeMismatch = (err: unknown) => err instanceof TypeError && err.message === 'type must be a Type';

export function historyToJson(history: History): string {
  try {
    return historyToJSON(history);
  } catch (err) {
    if (!isTypeMismatch(err)) throw err;
    const { codec, historyType } = protoJson();
    return JSON.stringify(codec.toJson(historyType, proto.temporal.api.history.v1.History.fromObject(history)), null, 2);
  }
}

/** Parses a history in canonical ProtoJSON (what `historyToJson` writes) into a History. */
export function historyFromJson(json: unknown): History {
  try {
    return historyFromJSON(json);
  } catch (err) {
    if (!isTypeMismatch(err)) throw err;
    const { codec, historyType } = protoJson();
    const loaded = codec.fromJson(historyType, json, { ignoreUnknownFields: true });
    if (loaded === null) throw new TypeError('Invalid history', { cause: err });
    return loaded as History;
  }
}
