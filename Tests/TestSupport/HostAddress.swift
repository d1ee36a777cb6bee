import Glibc

/// This machine's first IPv4 address that is neither loopback nor
/// link-local: where a test's own server is reached as a Service endpoint,
/// since Endpoints and EndpointSlices refuse loopback addresses as kube does.
public enum HostAddress {
    public static func ipv4() throws -> String {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0, let first = list else { throw NoAddress() }
        defer { freeifaddrs(list) }
        var current: UnsafeMutablePointer<ifaddrs>? = first
        while let entry = current {
            defer { current = entry.pointee.ifa_next }
            guard let address = entry.pointee.ifa_addr, address.pointee.sa_family == UInt16(AF_INET),
                  entry.pointee.ifa_flags & UInt32(IFF_UP) != 0 else { continue }
            var ipv4 = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
            let bytes = withUnsafeBytes(of: &ipv4) { Array($0) }
            if bytes[0] == 127 || (bytes[0] == 169 && bytes[1] == 254) { continue }
            return bytes.map(String.init).joined(separator: ".")
        }
        throw NoAddress()
    }

    public struct NoAddress: Error, CustomStringConvertible {
        public var description: String { "this machine has no IPv4 address but loopback; Service endpoints need one" }
    }
}
