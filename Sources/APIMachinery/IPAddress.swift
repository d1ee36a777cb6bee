#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 or IPv6 address as Go's net.ParseIP reads one, with the range
/// checks kube's endpoint validation makes.
public struct IPAddress: Sendable, Hashable {
    /// 4 bytes for IPv4, 16 for IPv6.
    public let bytes: [UInt8]

    public init?(_ text: String) {
        if let v4 = Self.parse(text, family: AF_INET, size: 4) {
            bytes = v4
        } else if text.contains(":"), let v6 = Self.parse(text, family: AF_INET6, size: 16) {
            // An IPv4-mapped IPv6 address is the IPv4 address, as Go treats it.
            bytes = v6[0..<12] == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255] ? Array(v6[12...]) : v6
        } else {
            return nil
        }
    }

    private static func parse(_ text: String, family: Int32, size: Int) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: size)
        return inet_pton(family, text, &buffer) == 1 ? buffer : nil
    }

    public var isIPv4: Bool { bytes.count == 4 }
    public var isUnspecified: Bool { bytes.allSatisfy { $0 == 0 } }
    public var isLoopback: Bool { isIPv4 ? bytes[0] == 127 : bytes == [UInt8](repeating: 0, count: 15) + [1] }
    public var isLinkLocalUnicast: Bool {
        isIPv4 ? bytes[0] == 169 && bytes[1] == 254 : bytes[0] == 0xfe && bytes[1] & 0xc0 == 0x80
    }
    public var isLinkLocalMulticast: Bool {
        isIPv4 ? bytes[0] == 224 && bytes[1] == 0 && bytes[2] == 0 : bytes[0] == 0xff && bytes[1] & 0x0f == 0x02
    }
}

extension Validation {
    /// kube's ValidateEndpointIP: an endpoint must be reachable from
    /// elsewhere, so unspecified, loopback and link-local addresses are
    /// refused (and the aggregator never proxies to this server itself).
    public static func endpointIPProblems(_ text: String) -> [String] {
        guard let ip = IPAddress(text) else { return ["must be a valid IP address"] }
        var problems: [String] = []
        if ip.isUnspecified { problems.append("may not be unspecified (\(text))") }
        if ip.isLoopback { problems.append("may not be in the loopback range (127.0.0.0/8, ::1/128)") }
        if ip.isLinkLocalUnicast { problems.append("may not be in the link-local range (169.254.0.0/16, fe80::/10)") }
        if ip.isLinkLocalMulticast { problems.append("may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)") }
        return problems
    }
}
