import APIMachinery
import Registry

// libFuzzer's entry point for the decoders that read request bodies (built by
// scripts/fuzz with -sanitize=fuzzer and FUZZING). The first byte
// picks the decoder; for the patches the rest is a document, a NUL byte, and
// the patch. Every input must come back as a value or an error: a crash, a
// hang or more than the memory limit is what libFuzzer reports.

/// What a decoder is given, after the selector byte.
private enum Decoder: UInt8, CaseIterable {
    case json, yaml, jsonPatch, mergePatch, strategicMergePatch, protobuf, schemaCheck
}

private let catalog = BuiltinResources.schemas
private let protobuf = ProtobufObjectDecoder(catalog: catalog)
private let pod = catalog.type(for: GroupVersionKind(group: "", version: "v1", kind: "Pod"))!
private let patchSchema = PatchSchema(fields: ["spec": PatchSchema(fields: [
    "containers": .list(mergeKey: "name", PatchSchema(fields: ["ports": .list(mergeKey: "containerPort")])),
    "finalizers": .primitiveSet,
])])

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBodyDecoders(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = Array(UnsafeRawBufferPointer(start: start, count: count))
    guard let first = bytes.first, let decoder = Decoder(rawValue: first % UInt8(Decoder.allCases.count)) else { return 0 }
    let input = Array(bytes.dropFirst())
    let parts = input.split(separator: 0, maxSplits: 1, omittingEmptySubsequences: false)
    let document = (try? JSONValue.parse(Array(parts[0]))) ?? [:]
    let patch = { (try? JSONValue.parse(Array(parts.count > 1 ? parts[1] : []))) ?? .null }
    switch decoder {
    case .json:
        _ = try? JSONValue.parse(input)
    case .yaml:
        _ = try? YAMLConversion.decode(input, expectedKind: "ConfigMap")
    case .jsonPatch:
        _ = try? JSONPatch.apply(patch(), to: document)
    case .mergePatch:
        _ = MergePatch.apply(patch(), to: document)
    case .strategicMergePatch:
        _ = try? StrategicMergePatch.apply(patch(), to: document, schema: patchSchema)
    case .protobuf:
        _ = try? protobuf.decode(input)
    case .schemaCheck:
        var value = (try? JSONValue.parse(input)) ?? .null
        _ = catalog.check(&value, as: pod)
    }
    return 0
}

#if FUZZING
/// SwiftPM links an executable's main to `<target>_main`, which a library-mode
/// (-parse-as-library) build does not generate; this is it, and hands over
/// to libFuzzer's driver. Without FUZZING the file is an empty program.
@_silgen_name("LLVMFuzzerRunDriver")
private func runDriver(_ argc: UnsafeMutablePointer<CInt>,
                       _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                       _ callback: @convention(c) (UnsafeRawPointer?, Int) -> CInt) -> CInt

@_cdecl("berth_fuzz_main")
public func berthFuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return runDriver(&count, &arguments) { start, count in
        guard let start else { return 0 }
        return fuzzBodyDecoders(start, count)
    }
}
#endif
