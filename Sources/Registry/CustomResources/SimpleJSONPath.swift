import APIMachinery

/// The JSON paths CRDs name fields with (".spec.replicas",
/// ".status.conditions[0].type", ".metadata.labels['app.kubernetes.io/name']"):
/// fields and list indexes from the object's root, which printer columns,
/// scale and selectable fields read and scale writes.
public struct SimpleJSONPath: Sendable, Hashable {
    public enum Step: Sendable, Hashable {
        case field(String)
        case index(Int)
    }

    public let steps: [Step]

    /// nil when `text` is not a path of fields and indexes starting with ".".
    public init?(_ text: String) {
        var steps: [Step] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            if rest.hasPrefix("[") {
                guard let close = rest.firstIndex(of: "]") else { return nil }
                let inside = rest[rest.index(after: rest.startIndex)..<close]
                if let index = Int(inside), index >= 0 {
                    steps.append(.index(index))
                } else if inside.count >= 2, let quote = inside.first, quote == "'" || quote == "\"", inside.last == quote {
                    steps.append(.field(String(inside.dropFirst().dropLast())))
                } else {
                    return nil
                }
                rest = rest[rest.index(after: close)...]
            } else if rest.hasPrefix(".") {
                rest = rest.dropFirst()
                let end = rest.firstIndex { $0 == "." || $0 == "[" } ?? rest.endIndex
                let name = rest[..<end]
                guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else { return nil }
                steps.append(.field(String(name)))
                rest = rest[end...]
            } else {
                return nil
            }
        }
        guard !steps.isEmpty, case .field = steps[0] else { return nil }
        self.steps = steps
    }

    public func value(in json: JSONValue) -> JSONValue? {
        var current: JSONValue? = json
        for step in steps {
            switch step {
            case .field(let name): current = current?[name]
            case .index(let index): current = current?[index]
            }
        }
        return current
    }

    /// Sets the value, making the objects on the way (a scale write to a
    /// field the object does not have yet).
    public func set(_ value: JSONValue, in json: inout JSONValue) {
        json = Self.setting(value, in: json, steps[...])
    }

    private static func setting(_ value: JSONValue, in json: JSONValue, _ steps: ArraySlice<Step>) -> JSONValue {
        guard let step = steps.first else { return value }
        switch step {
        case .field(let name):
            var object = json.objectValue ?? [:]
            object[name] = setting(value, in: object[name] ?? .null, steps.dropFirst())
            return .object(object)
        case .index(let index):
            guard var array = json.arrayValue, array.indices.contains(index) else { return json }
            array[index] = setting(value, in: array[index], steps.dropFirst())
            return .array(array)
        }
    }
}
