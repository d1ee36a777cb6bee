import APIMachinery
import NIOHTTP1
import Registry

/// Restores through a running API server, as any client would: namespaced
/// objects are POSTed to their collection at the version the archive holds
/// them in, and the server validates, defaults and converts them. As with
/// kube-apiserver, the server gives each object a new uid, creationTimestamp
/// and resourceVersion. A status the create did not keep (resources with a
/// status subresource reset it) is put back through /status.
public struct APIRestoreDestination: RestoreDestination {
    let connection: APIConnection

    public init(_ connection: APIConnection) {
        self.connection = connection
    }

    /// The server says, object by object, what it does not serve.
    public func check(_ entries: [LogicalBackup.Manifest.Entry]) throws {}

    /// The collection URL path: /api/v1 or /apis/GROUP/VERSION, the namespace, the resource.
    static func collection(_ entry: LogicalBackup.Manifest.Entry, _ object: APIObject) -> String {
        let root = object.apiVersion.contains("/") ? "/apis/\(object.apiVersion)" : "/api/\(object.apiVersion)"
        let resource = entry.resource.split(separator: ".", maxSplits: 1)[0]
        return root + (entry.namespace.map { "/namespaces/\($0)" } ?? "") + "/\(resource)"
    }

    static func item(_ entry: LogicalBackup.Manifest.Entry, _ object: APIObject) -> String {
        collection(entry, object) + "/" + object.name
    }

    /// The object as a client sends it: without what the server assigns.
    static func sendable(_ object: APIObject) -> APIObject {
        var object = object
        for field in ["resourceVersion", "uid", "creationTimestamp", "selfLink", "generation", "managedFields",
                      "deletionTimestamp", "deletionGracePeriodSeconds"] {
            object.setMetadata(field, nil)
        }
        return object
    }

    public func exists(_ entry: LogicalBackup.Manifest.Entry, _ object: APIObject) async throws -> Bool {
        let (code, body) = try await connection.request(.GET, Self.item(entry, object))
        switch code {
        case 200: return true
        case 404 where body["details"]?["name"]?.stringValue == object.name: return false
        default: throw APIConnection.unexpected(code, body)
        }
    }

    public func create(_ entry: LogicalBackup.Manifest.Entry, _ object: APIObject) async throws -> Bool {
        let (code, body) = try await connection.request(.POST, Self.collection(entry, object), body: Self.sendable(object).json)
        switch code {
        case 200, 201, 202:
            try await restoreStatus(entry, object, written: APIObject(body))
            return true
        case 409 where body["reason"]?.stringValue == "AlreadyExists": return false
        default: throw APIConnection.unexpected(code, body)
        }
    }

    public func replace(_ entry: LogicalBackup.Manifest.Entry, _ object: APIObject) async throws {
        // Over whatever is there, at its resourceVersion; again if it moves meanwhile.
        for _ in 0..<5 {
            let (found, current) = try await connection.request(.GET, Self.item(entry, object))
            guard found == 200 else { throw APIConnection.unexpected(found, current) }
            var replacement = Self.sendable(object)
            replacement.resourceVersion = APIObject(current).resourceVersion
            let (code, body) = try await connection.request(.PUT, Self.item(entry, object), body: replacement.json)
            if code == 409 && body["reason"]?.stringValue == "Conflict" { continue }
            guard code == 200 || code == 201 else { throw APIConnection.unexpected(code, body) }
            return try await restoreStatus(entry, object, written: APIObject(body))
        }
        throw APIConnection.UnexpectedAnswer(code: 409, reason: "Conflict", message: "\(object.name) kept changing while it was replaced")
    }

    /// Waits, up to 30 s, until each CRD is Established.
    public func waitUntilServed(_ crds: [APIObject]) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        for crd in crds {
            while true {
                let (code, body) = try await connection.request(.GET, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/\(crd.name)")
                let established = (body["status"]?["conditions"]?.arrayValue ?? []).contains {
                    $0["type"] == "Established" && $0["status"] == "True"
                }
                if code == 200 && established { break }
                guard ContinuousClock.now < deadline else {
                    throw OperationFailure(description: "CRD \(crd.name) was restored but is not Established after 30 s; its objects were not restored")
                }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    /// Puts the archived status back where the write did not keep it.
    func restoreStatus(_ entry: LogicalBackup.Manifest.Entry, _ object: APIObject, written: APIObject) async throws {
        guard let status = object["status"], status != .object([:]), written["status"] != status else { return }
        var withStatus = written
        withStatus["status"] = status
        let (code, body) = try await connection.request(.PUT, Self.item(entry, object) + "/status", body: withStatus.json)
        // 404 or 405: the resource has no status subresource, and the create kept what it could.
        guard code == 200 || code == 404 || code == 405 else { throw APIConnection.unexpected(code, body) }
    }
}
