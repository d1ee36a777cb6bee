import CEtcd
#if canImport(Glibc)
import Glibc
#endif

/// Owns the C memory of one request while it is built and packed: protobuf-c
/// messages point at their bytes and sub-messages, so everything is allocated
/// here and freed together once the shim has packed the request (which it does
/// before returning).
final class CArena {
    private var allocations: [UnsafeMutableRawPointer] = []

    deinit {
        for pointer in allocations { free(pointer) }
    }

    private func allocate(_ byteCount: Int) -> UnsafeMutableRawPointer {
        guard let pointer = calloc(1, max(byteCount, 1)) else { fatalError("out of memory") }
        allocations.append(pointer)
        return pointer
    }

    /// A zeroed message of type T, initialised by protoc-c's `…__init`.
    func message<T>(_ initialize: (UnsafeMutablePointer<T>?) -> Void) -> UnsafeMutablePointer<T> {
        let typed = allocate(MemoryLayout<T>.stride).bindMemory(to: T.self, capacity: 1)
        initialize(typed)
        return typed
    }

    func bytes(_ bytes: [UInt8]?) -> ProtobufCBinaryData {
        guard let bytes, !bytes.isEmpty else { return ProtobufCBinaryData(len: 0, data: nil) }
        let pointer = allocate(bytes.count)
        bytes.withUnsafeBytes { pointer.copyMemory(from: $0.baseAddress!, byteCount: bytes.count) }
        return ProtobufCBinaryData(len: bytes.count, data: pointer.assumingMemoryBound(to: UInt8.self))
    }

    func string(_ string: String) -> UnsafeMutablePointer<CChar> {
        let utf8 = Array(string.utf8CString)
        let pointer = allocate(utf8.count).bindMemory(to: CChar.self, capacity: utf8.count)
        pointer.initialize(from: utf8, count: utf8.count)
        return pointer
    }

    /// A C array of pointers, as protobuf-c stores repeated message fields.
    func array<T>(_ items: [UnsafeMutablePointer<T>]) -> UnsafeMutablePointer<UnsafeMutablePointer<T>?>? {
        guard !items.isEmpty else { return nil }
        let pointer = allocate(MemoryLayout<UnsafeMutablePointer<T>?>.stride * items.count)
            .bindMemory(to: UnsafeMutablePointer<T>?.self, capacity: items.count)
        for (index, item) in items.enumerated() { pointer[index] = item }
        return pointer
    }

    /// A C array of plain values (enums, integers).
    func values<T>(_ items: [T]) -> UnsafeMutablePointer<T>? {
        guard !items.isEmpty else { return nil }
        let pointer = allocate(MemoryLayout<T>.stride * items.count).bindMemory(to: T.self, capacity: items.count)
        pointer.initialize(from: items, count: items.count)
        return pointer
    }
}

/// A message pointer as the shim takes it.
@inline(__always)
func cMessage<T>(_ pointer: UnsafeMutablePointer<T>) -> UnsafePointer<ProtobufCMessage> {
    UnsafeRawPointer(pointer).assumingMemoryBound(to: ProtobufCMessage.self)
}
