import APIMachinery
import EtcdClient
import Storage
import TestSupport

/// A store of ConfigMaps under a prefix of the test's own, on the shared etcd
/// unless a server is given.
func configMapStore(_ server: EmbeddedEtcd? = nil, prefix: String = TestEtcd.uniquePrefix(),
                    transformer: any ValueTransformer = IdentityTransformer()) async throws -> Store {
    let server = try await server.asyncOr { try await TestEtcd.shared() }
    return Store(client: try TestEtcd.client(server, timeout: .seconds(5)),
                 resource: GroupResource(resource: "configmaps"),
                 keys: ResourceKeys(prefix: prefix, resourcePath: "configmaps", namespaced: true),
                 transformer: transformer)
}

func configMap(_ name: String, namespace: String = "default", data: [String: String] = [:], labels: [String: String] = [:]) -> APIObject {
    var metadata: JSONObject = ["name": .string(name), "namespace": .string(namespace)]
    if !labels.isEmpty { metadata["labels"] = .object(JSONObject(uniqueKeysWithValues: labels.sorted { $0.key < $1.key }.map { ($0, JSONValue.string($1)) })) }
    return APIObject([
        "apiVersion": "v1", "kind": "ConfigMap", "metadata": .object(metadata),
        "data": .object(JSONObject(uniqueKeysWithValues: data.sorted { $0.key < $1.key }.map { ($0, JSONValue.string($1)) })),
    ])
}

/// Expects `body` to throw an APIError with this code and reason, or an
/// etcd failure the registry answers with it; returns it.
@discardableResult
func expectAPIError(_ code: Int, _ reason: APIError.Reason, sourceLocation: SourceLocation = #_sourceLocation,
                    _ body: () async throws -> Void) async -> APIError? {
    do {
        try await body()
        Issue.record("expected \(code) \(reason.rawValue), got success", sourceLocation: sourceLocation)
    } catch let error as APIError {
        #expect(error.code == code && error.reason == reason, "got \(error)", sourceLocation: sourceLocation)
        return error
    } catch let failure as EtcdError {
        let error = failure.apiError()
        #expect(error.code == code && error.reason == reason, "got \(failure)", sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("expected an APIError, got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

/// Expects `body` to throw a StorageError with this code; returns it.
@discardableResult
func expectStorageError(_ code: StorageError.Code, sourceLocation: SourceLocation = #_sourceLocation,
                        _ body: () async throws -> Void) async -> StorageError? {
    do {
        try await body()
        Issue.record("expected \(code), got success", sourceLocation: sourceLocation)
    } catch let error as StorageError {
        #expect(error.code == code, "got \(error)", sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("expected a StorageError, got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

extension Optional {
    func asyncOr(_ make: () async throws -> Wrapped) async rethrows -> Wrapped {
        if let value = self { return value }
        return try await make()
    }
}

import Testing
