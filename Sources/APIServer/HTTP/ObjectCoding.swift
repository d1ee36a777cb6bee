import APIMachinery
import Hummingbird
import Registry

/// Request bodies in (JSON or YAML) and JSON values out, in the negotiated
/// serialization.
enum ObjectCoding {
    static let acceptedBodyTypes = ["application/json", "application/yaml", "application/vnd.kubernetes.protobuf"]

    /// The body as JSON; 415 for a media type Berth does not read, 400 for
    /// text that does not parse.
    static func decodeBody(_ body: [UInt8], contentType: String?, expectedKind: String,
                           protobuf: ProtobufObjectDecoder) throws -> JSONValue {
        let media = contentType.flatMap { MediaType(parsing: Substring($0)) } ?? MediaType("application/json")
        switch media.type {
        case "application/json", "*/*":
            do {
                return try JSONValue.parse(body)
            } catch let error as JSONParseError {
                throw APIError.unrecognized(expectedKind: expectedKind, "couldn't get version/kind; json parse error: \(error)",
                                            body: body)
            }
        case "application/yaml", "application/x-yaml", "text/yaml":
            return try YAMLConversion.decode(body, expectedKind: expectedKind)
        case "application/vnd.kubernetes.protobuf":
            return try protobuf.decode(body)
        default:
            throw APIErrorFactory.unsupportedMediaType(media.type, accepted: acceptedBodyTypes)
        }
    }

    /// `value` in `format`'s serialization; nil for protobuf when its kind
    /// has no protobuf form.
    static func encode(_ value: JSONValue, _ format: ResponseFormat) -> [UInt8]? {
        switch format.serialization {
        case .yaml: return YAMLConversion.encode(value)
        case .json: return format.pretty ? value.prettySerialized() + [0x0A] : value.serialized() + [0x0A]
        case .protobuf: return ProtobufObjectEncoder.builtin.encode(value)
        }
    }

}

extension Response {
    /// The response with a Warning header per message, as kube-apiserver
    /// warns (kubectl prints them as "Warning: ..."); see `WarningHeaders`
    /// for how many and how long.
    func warning(_ messages: [String]) -> Response {
        let values = WarningHeaders.values(messages)
        guard !values.isEmpty else { return self }
        var response = self
        response.headers[values: .init("Warning")!] += values
        return response
    }

    /// A JSON value encoded in the negotiated format.
    static func encoded(_ value: JSONValue, _ format: ResponseFormat, status: HTTPResponse.Status = .ok) -> Response {
        if let body = ObjectCoding.encode(value, format) { return encoded(body, format, status: status) }
        // A kind with no protobuf form (none is negotiated for one): JSON.
        let json = ResponseFormat(serialization: .json, shape: format.shape, pretty: format.pretty)
        return encoded(value, json, status: status)
    }

    /// A body already encoded in the negotiated format.
    static func encoded(_ body: [UInt8], _ format: ResponseFormat, status: HTTPResponse.Status = .ok) -> Response {
        encoded(ResponseBody(byteBuffer: ByteBuffer(bytes: body)), format, status: status)
    }

    /// A body already encoded in the negotiated format, written in its parts.
    static func encoded(_ body: BodyParts, _ format: ResponseFormat, status: HTTPResponse.Status = .ok) -> Response {
        encoded(body.responseBody, format, status: status)
    }

    private static func encoded(_ body: ResponseBody, _ format: ResponseFormat, status: HTTPResponse.Status) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = format.contentType
        return Response(status: status, headers: headers, body: body)
    }
}
