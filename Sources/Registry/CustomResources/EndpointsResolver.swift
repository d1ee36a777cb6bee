import APIMachinery

/// Resolves a Service as kube-apiserver does for webhooks without a cluster
/// network: the Service's port to its targetPort, then an address of its
/// Endpoints with that port.
struct EndpointsResolver: ServiceResolver {
    let registry: Registry

    func resolve(namespace: String, name: String, port: Int) async throws -> (host: String, port: Int) {
        func failure(_ why: String) -> ConversionWebhook.Failure {
            ConversionWebhook.Failure(description: "service \(namespace)/\(name): \(why)")
        }
        guard let services = registry.store(group: "", version: "v1", resource: "services"),
              let endpoints = registry.store(group: "", version: "v1", resource: "endpoints") else {
            throw failure("services are not served")
        }
        let service: APIObject, endpoint: APIObject
        do {
            service = try await services.get(namespace: namespace, name: name)
            endpoint = try await endpoints.get(namespace: namespace, name: name)
        } catch let error as APIError where error.reason == .notFound {
            throw failure(error.message)
        }
        guard let servicePort = (service["spec"]?["ports"]?.arrayValue ?? []).first(where: { $0["port"]?.intValue == Int64(port) }) else {
            throw failure("no port \(port)")
        }
        for subset in endpoint["subsets"]?.arrayValue ?? [] {
            guard let address = subset["addresses"]?[0]?["ip"]?.stringValue else { continue }
            let ports = subset["ports"]?.arrayValue ?? []
            switch servicePort["targetPort"] {
            case .string(let named)?:
                if let number = ports.first(where: { $0["name"]?.stringValue == named })?["port"]?.intValue { return (address, Int(number)) }
            case let target?:
                if let number = target.intValue { return (address, Int(number)) }
            case nil:
                return (address, port)
            }
        }
        throw failure("no ready endpoint address")
    }
}
