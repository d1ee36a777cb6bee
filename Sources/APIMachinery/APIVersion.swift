/// A version of an API group as Kubernetes names them: "v1", "v2beta1",
/// "v1alpha3". Ordered as Kubernetes orders versions for discovery
/// (k8s.io/apimachinery/pkg/version.CompareKubeAwareVersionStrings): stable
/// before beta before alpha, higher numbers first, and names of another form
/// last, alphabetically.
public struct APIVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    public enum Stability: String, Sendable {
        case ga, beta, alpha
        /// A name that is not of the form vN, vNbetaM or vNalphaM.
        case other
    }

    public let name: String
    public let stability: Stability
    let major: Int
    let minor: Int

    public init(_ name: String) {
        self.name = name
        (stability, major, minor) = Self.parse(name) ?? (.other, 0, 0)
    }

    public var description: String { name }

    static func parse(_ name: String) -> (Stability, Int, Int)? {
        let bytes = Array(name.utf8)
        guard bytes.first == UInt8(ascii: "v") else { return nil }
        var index = 1
        func number() -> Int? {
            let start = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            guard index > start, bytes[start] != UInt8(ascii: "0") else { return nil }
            return Int(String(decoding: bytes[start..<index], as: UTF8.self))
        }
        guard let major = number() else { return nil }
        if index == bytes.count { return (.ga, major, 0) }
        let rest = String(decoding: bytes[index...], as: UTF8.self)
        for (word, stability) in [("beta", Stability.beta), ("alpha", .alpha)] where rest.hasPrefix(word) {
            index += word.utf8.count
            guard let minor = number(), index == bytes.count else { return nil }
            return (stability, major, minor)
        }
        return nil
    }

    var rank: Int {
        switch stability {
        case .ga: 0
        case .beta: 1
        case .alpha: 2
        case .other: 3
        }
    }

    /// `a < b` when `a` comes first, that is, when Kubernetes prefers it.
    public static func < (a: APIVersion, b: APIVersion) -> Bool {
        if a.rank != b.rank { return a.rank < b.rank }
        if a.stability == .other { return a.name < b.name }
        if a.major != b.major { return a.major > b.major }
        return a.minor > b.minor
    }
}
