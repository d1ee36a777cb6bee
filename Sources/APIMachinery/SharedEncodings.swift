import Synchronization

/// The encoded forms of one object, made once and shared by every reader
/// of the same state (kube's CachingObject): the watch cache gives each
/// object it holds one, so a change reaching a hundred watchers, or an
/// object read by a thousand gets and lists, is serialized once per form.
/// A form names everything the bytes depend on besides the object (its
/// served group-version and kind, the serialization, list item or not);
/// who encodes decides the name.
///
/// It also keeps the state as served at other versions (a built-in kind's
/// conversion), so that a converted read converts each state once.
public final class SharedEncodings: Sendable {
    private let forms = Mutex<[String: [UInt8]]>([:])
    private let served = Mutex<[String: APIObject]>([:])

    public init() {}

    /// The state as served by `view` (its group-version and kind), when a
    /// reader has already made it.
    public func servedObject(_ view: String) -> APIObject? {
        served.withLock { $0[view] }
    }

    /// Keeps `object` as the state served by `view`, sharing these
    /// encodings (its forms name the served version too).
    public func keepServed(_ object: APIObject, as view: String) -> APIObject {
        var object = object
        object.encodings = self
        served.withLock { $0[view] = $0[view] ?? object }
        return object
    }

    /// The bytes of `form`, encoded by `encode` the first time. Two
    /// watchers asking at once may both encode; the first result is kept.
    public func bytes(_ form: String, _ encode: () -> [UInt8]) -> [UInt8] {
        if let known = forms.withLock({ $0[form] }) { return known }
        let encoded = encode()
        return forms.withLock { forms in
            if let known = forms[form] { return known }
            forms[form] = encoded
            return encoded
        }
    }
}
