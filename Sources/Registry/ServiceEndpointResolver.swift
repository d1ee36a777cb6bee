import APIMachinery

/// Where a Service's traffic goes, for webhooks and APIServices named by
/// Service: with no cluster network, kube-apiserver's answer with
/// --enable-aggregator-routing, an address of the Service's endpoints.
public protocol ServiceResolver: Sendable {
    func resolve(namespace: String, name: String, port: Int) async throws -> ServiceEndpoint
}

/// One ready address and port behind a Service.
public struct ServiceEndpoint: Sendable, Hashable {
    public var host: String
    public var port: Int
    /// host:port, IPv6 in brackets.
    public var authority: String { "\(host.contains(":") ? "[\(host)]" : host):\(port)" }
}

/// Why a Service has no endpoint to call, worded as kube-aggregator's
/// availability controller words it (its condition reasons).
public struct ServiceResolutionFailure: Error, Sendable, CustomStringConvertible {
    public enum Reason: String, Sendable {
        case serviceNotFound = "ServiceNotFound"
        case serviceAccessError = "ServiceAccessError"
        case endpointsNotFound = "EndpointsNotFound"
        case missingEndpoints = "MissingEndpoints"
    }
    public var reason: Reason
    public var description: String
}

/// kube's ResolveEndpoint: the Service's port (by number) to its name, then
/// a ready address of an EndpointSlice labelled with the Service's name that
/// has a port of that name; where the Service has no slices, its Endpoints.
/// Loopback addresses never get here: both kinds refuse them.
public struct ServiceEndpointResolver: ServiceResolver {
    let registry: Registry

    public init(registry: Registry) { self.registry = registry }

    public func resolve(namespace: String, name: String, port: Int) async throws -> ServiceEndpoint {
        let id = "service/\(name) in \(FieldError.quote(namespace))"
        guard let services = registry.store(group: "", version: "v1", resource: "services") else {
            throw ServiceResolutionFailure(reason: .serviceAccessError, description: "services are not served")
        }
        let service: APIObject
        do {
            service = try await services.get(namespace: namespace, name: name)
        } catch let error as APIError where error.reason == .notFound {
            throw ServiceResolutionFailure(reason: .serviceNotFound, description: "\(id) is not present")
        } catch {
            throw ServiceResolutionFailure(reason: .serviceAccessError, description: "\(id) cannot be read: \(error)")
        }
        let ports = service["spec"]?["ports"]?.arrayValue ?? []
        guard let servicePort = ports.first(where: { $0["port"]?.intValue == Int64(port) }) else {
            throw ServiceResolutionFailure(reason: .serviceAccessError, description: "no service port \(port) found for service \(FieldError.quote(name))")
        }
        let portName = servicePort["name"]?.stringValue ?? ""
        if let slices = try await endpointSlices(namespace: namespace, service: name), !slices.isEmpty {
            if let endpoint = Self.readyEndpoint(inSlices: slices, portName: portName) { return endpoint }
        } else if let endpoint = try await endpoints(namespace: namespace, name: name, id: id) {
            if let found = Self.readyEndpoint(inEndpoints: endpoint, portName: portName) { return found }
        }
        throw ServiceResolutionFailure(reason: .missingEndpoints,
                                       description: "endpoints for \(id) have no addresses with port name \(FieldError.quote(portName))")
    }

    private func endpointSlices(namespace: String, service: String) async throws -> [APIObject]? {
        guard let store = registry.store(group: "discovery.k8s.io", version: "v1", resource: "endpointslices") else { return nil }
        let selector = try LabelSelector(parsing: "kubernetes.io/service-name=\(service)")
        return try await store.list(namespace: namespace, ListQuery(labelSelector: selector)).items
    }

    private func endpoints(namespace: String, name: String, id: String) async throws -> APIObject? {
        guard let store = registry.store(group: "", version: "v1", resource: "endpoints") else { return nil }
        do {
            return try await store.get(namespace: namespace, name: name)
        } catch let error as APIError where error.reason == .notFound {
            throw ServiceResolutionFailure(reason: .endpointsNotFound, description: "cannot find endpoints for \(id)")
        }
    }

    /// An endpoint is ready unless its condition says otherwise.
    static func readyEndpoint(inSlices slices: [APIObject], portName: String) -> ServiceEndpoint? {
        for slice in slices where ["IPv4", "IPv6"].contains(slice["addressType"]?.stringValue ?? "") {
            guard let port = (slice["ports"]?.arrayValue ?? []).first(where: { ($0["name"]?.stringValue ?? "") == portName })?["port"]?.intValue
            else { continue }
            for endpoint in slice["endpoints"]?.arrayValue ?? [] where endpoint["conditions"]?["ready"]?.boolValue != false {
                if let address = endpoint["addresses"]?[0]?.stringValue { return ServiceEndpoint(host: address, port: Int(port)) }
            }
        }
        return nil
    }

    static func readyEndpoint(inEndpoints endpoints: APIObject, portName: String) -> ServiceEndpoint? {
        for subset in endpoints["subsets"]?.arrayValue ?? [] {
            guard let address = subset["addresses"]?[0]?["ip"]?.stringValue,
                  let port = (subset["ports"]?.arrayValue ?? []).first(where: { ($0["name"]?.stringValue ?? "") == portName })?["port"]?.intValue
            else { continue }
            return ServiceEndpoint(host: address, port: Int(port))
        }
        return nil
    }
}
