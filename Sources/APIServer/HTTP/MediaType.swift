/// A media type from Accept or Content-Type, with its parameters
/// ("application/json;as=Table;v=v1;g=meta.k8s.io").
struct MediaType: Sendable, Hashable {
    var type: String
    var parameters: [String: String]

    init(_ type: String, _ parameters: [String: String] = [:]) {
        self.type = type
        self.parameters = parameters
    }

    init?(parsing text: Substring) {
        let parts = text.split(separator: ";").map { $0.trimmingSpaces() }
        guard let first = parts.first, !first.isEmpty else { return nil }
        type = first.lowercased()
        parameters = [:]
        for part in parts.dropFirst() {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            parameters[pair[0].trimmingSpaces().lowercased()] = pair[1].trimmingSpaces().trimmingCharacters("\"")
        }
    }

    /// Every media type of an Accept header, in the client's order (Kubernetes
    /// clients list their preference first rather than using q values).
    static func list(_ header: String?) -> [MediaType] {
        guard let header, !header.isEmpty else { return [MediaType("*/*")] }
        return header.split(separator: ",").compactMap { MediaType(parsing: $0) }
            .filter { $0.parameters["q"] != "0" }
    }

    var isJSON: Bool { type == "application/json" || type == "application/*" || type == "*/*" }
    var isYAML: Bool { type == "application/yaml" }
    var isProtobuf: Bool { type == "application/vnd.kubernetes.protobuf" }

    /// The `as`, `g` and `v` parameters that ask for a transformed response.
    var conversion: (as: String, group: String, version: String)? {
        guard let target = parameters["as"] else { return nil }
        return (target, parameters["g"] ?? "", parameters["v"] ?? "")
    }
}

extension StringProtocol {
    func trimmingSpaces() -> String { trimmingCharacters(" \t") }

    func trimmingCharacters(_ characters: String) -> String {
        var text = Substring(self)
        while let first = text.first, characters.contains(first) { text = text.dropFirst() }
        while let last = text.last, characters.contains(last) { text = text.dropLast() }
        return String(text)
    }
}

/// How an object response is written: the serialization and which shape of
/// the object (itself, a Table, or only its metadata).
struct ResponseFormat: Sendable {
    enum Serialization: Sendable { case json, yaml, protobuf }
    enum Shape: Sendable, Equatable { case object, table, partialMetadata, partialMetadataList }

    var serialization: Serialization
    var shape: Shape
    var pretty: Bool

    /// The response's Content-Type; YAML answers are plain application/yaml.
    var contentType: String {
        if serialization == .protobuf { return "application/vnd.kubernetes.protobuf" }
        guard serialization == .json else { return "application/yaml" }
        switch shape {
        case .object: return "application/json"
        case .table: return "application/json;as=Table;v=v1;g=meta.k8s.io"
        case .partialMetadata: return "application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io"
        case .partialMetadataList: return "application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io"
        }
    }

    /// The first acceptable choice in the Accept header for an object or list
    /// response; 406 when there is none. Protobuf only for a kind that has
    /// a protobuf form (`protobuf`: built-in kinds, not custom resources)
    /// or as PartialObjectMetadata, and, as in kube, not as a Table.
    /// A watch sends single objects: it takes PartialObjectMetadata (what
    /// client-go's metadata client asks for) as well as the list form.
    static func negotiate(accept: String?, pretty: Bool, list: Bool, watch: Bool = false,
                          protobuf: Bool = false) throws -> ResponseFormat {
        // What most clients send, answered without parsing (it showed in profiles).
        switch accept {
        case nil, "", "application/json", "*/*", "application/json, */*":
            return ResponseFormat(serialization: .json, shape: .object, pretty: pretty)
        default: break
        }
        for media in MediaType.list(accept) {
            let serialization: Serialization
            if media.isJSON {
                serialization = .json
            } else if media.isYAML {
                serialization = .yaml
            } else if media.isProtobuf, let conversion = media.conversion {
                // Metadata alone is a meta.k8s.io kind, in protobuf for
                // every resource, custom ones too (metadata informers ask so).
                guard conversion.as.hasPrefix("PartialObjectMetadata") else { continue }
                serialization = .protobuf
            } else if media.isProtobuf && protobuf {
                serialization = .protobuf
            } else {
                continue
            }
            guard let conversion = media.conversion else {
                return ResponseFormat(serialization: serialization, shape: .object, pretty: pretty)
            }
            guard conversion.group == "meta.k8s.io", conversion.version == "v1" || conversion.version == "v1beta1" else { continue }
            switch conversion.as {
            case "Table": return ResponseFormat(serialization: serialization, shape: .table, pretty: pretty)
            case "PartialObjectMetadata" where !list || watch:
                return ResponseFormat(serialization: serialization, shape: .partialMetadata, pretty: pretty)
            case "PartialObjectMetadataList" where list:
                return ResponseFormat(serialization: serialization, shape: .partialMetadataList, pretty: pretty)
            default: continue
            }
        }
        throw APIErrorFactory.notAcceptable
    }

    /// How an error's Status is written: protobuf when that is the
    /// client's first choice (a typed client of a built-in kind), else JSON.
    static func forStatus(accept: String?, pretty: Bool) -> ResponseFormat {
        let first = MediaType.list(accept).first { $0.isJSON || $0.isYAML || $0.isProtobuf }
        return ResponseFormat(serialization: first?.isProtobuf == true ? .protobuf : .json, shape: .object, pretty: pretty)
    }
}
