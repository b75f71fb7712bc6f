#!/usr/bin/python3
"""Watch Intake's call feed (intake.v1.CallFeed/Watch) and print each event as one JSON line.

Needs only Debian's python3-grpcio and python3-protobuf: no generated stubs. The message types are built at run
time from the server's own descriptors, fetched through gRPC server reflection (on by default in Intake), or from a
descriptor set made with `protoc --include_imports --descriptor_set_out=FILE events.proto services.proto`.

Resume after a disconnect with --after <last sequence printed>. Exit status: 0 after --count events, 2 on a gRPC
error (message on stderr; RESOURCE_EXHAUSTED tells the sequence to resume from), 3 on a usage or schema problem.
"""
import argparse
import json
import os
import sys

import grpc
from google.protobuf import descriptor_pb2, descriptor_pool, json_format, message_factory, timestamp_pb2

FDP = descriptor_pb2.FieldDescriptorProto
REFLECTION_METHOD = "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo"
WATCH_METHOD = "/intake.v1.CallFeed/Watch"


def message_class(pool, full_name):
    descriptor = pool.FindMessageTypeByName(full_name)
    if hasattr(message_factory, "GetMessageClass"):
        return message_factory.GetMessageClass(descriptor)
    return message_factory.MessageFactory(pool).GetPrototype(descriptor)


def reflection_types():
    """The few reflection messages this client needs, declared here (field numbers from reflection.proto)."""
    f = descriptor_pb2.FileDescriptorProto(
        name="intake_client/reflection_subset.proto", package="grpc.reflection.v1alpha", syntax="proto3")

    def add(message, name, number, kind, label=FDP.LABEL_OPTIONAL, type_name=None):
        field = message.field.add(name=name, number=number, type=kind, label=label)
        if type_name:
            field.type_name = type_name

    request = f.message_type.add(name="ServerReflectionRequest")
    add(request, "host", 1, FDP.TYPE_STRING)
    add(request, "file_containing_symbol", 4, FDP.TYPE_STRING)
    files = f.message_type.add(name="FileDescriptorResponse")
    add(files, "file_descriptor_proto", 1, FDP.TYPE_BYTES, FDP.LABEL_REPEATED)
    error = f.message_type.add(name="ErrorResponse")
    add(error, "error_code", 1, FDP.TYPE_INT32)
    add(error, "error_message", 2, FDP.TYPE_STRING)
    response = f.message_type.add(name="ServerReflectionResponse")
    add(response, "file_descriptor_response", 4, FDP.TYPE_MESSAGE,
        type_name=".grpc.reflection.v1alpha.FileDescriptorResponse")
    add(response, "error_response", 7, FDP.TYPE_MESSAGE, type_name=".grpc.reflection.v1alpha.ErrorResponse")
    pool = descriptor_pool.DescriptorPool()
    pool.Add(f)
    return (message_class(pool, "grpc.reflection.v1alpha.ServerReflectionRequest"),
            message_class(pool, "grpc.reflection.v1alpha.ServerReflectionResponse"))


def files_from_reflection(channel, metadata, timeout):
    request_type, response_type = reflection_types()
    call = channel.stream_stream(REFLECTION_METHOD, request_serializer=request_type.SerializeToString,
                                 response_deserializer=response_type.FromString)
    request = request_type(file_containing_symbol="intake.v1.CallFeed")
    files = []
    for response in call(iter([request]), metadata=metadata, timeout=timeout):
        if response.HasField("error_response"):
            raise SchemaError("reflection: " + response.error_response.error_message)
        for raw in response.file_descriptor_response.file_descriptor_proto:
            files.append(descriptor_pb2.FileDescriptorProto.FromString(raw))
    return files


def files_from_descriptor_set(path):
    with open(path, "rb") as f:
        return list(descriptor_pb2.FileDescriptorSet.FromString(f.read()).file)


class SchemaError(Exception):
    pass


def build_pool(files):
    """Adds the files dependencies first; the well-known Timestamp is supplied when the server did not send it."""
    by_name = {f.name: f for f in files}
    if "google/protobuf/timestamp.proto" not in by_name:
        by_name["google/protobuf/timestamp.proto"] = descriptor_pb2.FileDescriptorProto.FromString(
            timestamp_pb2.DESCRIPTOR.serialized_pb)
    pool = descriptor_pool.DescriptorPool()
    added = set()
    pending = list(by_name.values())
    for _ in range(len(pending) + 1):
        if not pending:
            break
        remaining = []
        for f in pending:
            if all(d in added for d in f.dependency):
                pool.Add(f)
                added.add(f.name)
            else:
                remaining.append(f)
        pending = remaining
    if pending:
        missing = sorted({d for f in pending for d in f.dependency if d not in by_name})
        raise SchemaError("descriptors incomplete; missing: " + ", ".join(missing))
    return pool


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--target", required=True, help="host:port of Intake's gRPC API, e.g. 127.0.0.1:50051")
    p.add_argument("--after", type=int, default=0, help="resume point: print events with a greater sequence")
    p.add_argument("--queue", action="append", default=[], help="only calls of this queue (repeatable)")
    p.add_argument("--kind", action="append", default=[], help="only this kind, e.g. offered, ended (repeatable)")
    p.add_argument("--count", type=int, default=0, help="stop after this many events (0 = run until ended)")
    p.add_argument("--timeout", type=float, default=None, help="overall deadline in seconds")
    p.add_argument("--api-key", default=os.environ.get("INTAKE_API_KEY", ""), help="or env INTAKE_API_KEY")
    p.add_argument("--tls", action="store_true", help="connect with TLS")
    p.add_argument("--ca-file", help="PEM root certificates for --tls (default: system roots)")
    p.add_argument("--descriptor-set", help="FileDescriptorSet file instead of server reflection")
    return p.parse_args(argv)


def open_channel(args):
    if not args.tls:
        return grpc.insecure_channel(args.target)
    roots = None
    if args.ca_file:
        with open(args.ca_file, "rb") as f:
            roots = f.read()
    return grpc.secure_channel(args.target, grpc.ssl_channel_credentials(root_certificates=roots))


def main(argv):
    args = parse_args(argv)
    metadata = [("authorization", "Bearer " + args.api_key)] if args.api_key else []
    with open_channel(args) as channel:
        try:
            files = (files_from_descriptor_set(args.descriptor_set) if args.descriptor_set
                     else files_from_reflection(channel, metadata, args.timeout))
            pool = build_pool(files)
            watch_request = message_class(pool, "intake.v1.WatchRequest")
            call_event = message_class(pool, "intake.v1.CallEvent")
        except (SchemaError, OSError) as e:
            print("watch_feed: " + str(e), file=sys.stderr)
            return 3
        except grpc.RpcError as e:
            print("watch_feed: %s: %s" % (e.code().name, e.details()), file=sys.stderr)
            return 2

        watch = channel.unary_stream(WATCH_METHOD, request_serializer=watch_request.SerializeToString,
                                     response_deserializer=call_event.FromString)
        request = watch_request(after_sequence=args.after, queues=args.queue, kinds=args.kind)
        printed = 0
        stream = watch(request, metadata=metadata, timeout=args.timeout)
        try:
            for event in stream:
                line = json_format.MessageToDict(event, preserving_proto_field_name=True)
                print(json.dumps(line, separators=(",", ":"), sort_keys=True), flush=True)
                printed += 1
                if args.count and printed >= args.count:
                    stream.cancel()
                    return 0
        except grpc.RpcError as e:
            print("watch_feed: %s: %s" % (e.code().name, e.details()), file=sys.stderr)
            return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
