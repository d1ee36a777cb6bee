import APIMachinery
import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOSSL
import Registry
import Storage

/// kube-aggregator's controllers in one loop: keeps a local APIService for
/// every served group-version (autoregistration, Available/Local), resolves
/// each remote APIService's Service to an endpoint, checks its discovery,
/// writes its Available condition with kube's reasons, and publishes the
/// routes the proxy reads. It runs when an APIService, Service, Endpoints or
/// EndpointSlice changes, when the served set changes, and every 30 s.
actor AggregatorController {
    let registry: Registry
    let routing: APIServiceRouting
    let identity: ProxyIdentity
    let logger: Logger
    let apiServices: ResourceStore
    /// The client of each remote APIService, and what it was made for.
    private var clients: [String: (spec: APIServiceSpec, endpoint: ServiceEndpoint, client: HTTPClient)] = [:]

    static let automanagedLabel = "kube-aggregator.kubernetes.io/automanaged"
    static let checkTimeout: TimeAmount = .seconds(5)
    /// How often every APIService is checked even when nothing changed (kube: 30 s).
    let resyncInterval: Duration

    init?(registry: Registry, routing: APIServiceRouting, identity: ProxyIdentity, logger: Logger,
          resyncInterval: Duration = .seconds(30)) {
        guard let store = registry.store(group: "apiregistration.k8s.io", version: "v1", resource: "apiservices") else { return nil }
        self.registry = registry
        self.routing = routing
        self.identity = identity
        self.logger = logger
        self.resyncInterval = resyncInterval
        apiServices = store
    }

    func run() async {
        let (triggers, trigger) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let followed = [("apiregistration.k8s.io", "apiservices"), ("", "services"), ("", "endpoints"),
                        ("discovery.k8s.io", "endpointslices")].compactMap { registry.store(group: $0.0, version: "v1", resource: $0.1) }
        await withTaskCancellationHandler {
            await withDiscardingTaskGroup { group in
                for store in followed {
                    group.addTask { await Self.follow(store) { trigger.yield() } }
                }
                group.addTask { [registry] in
                    // The served set (CRDs come and go) decides the local APIServices.
                    var generation = -1
                    while !Task.isCancelled {
                        if registry.served.generation != generation {
                            generation = registry.served.generation
                            trigger.yield()
                        }
                        try? await Task.sleep(for: .milliseconds(200))
                    }
                }
                group.addTask { [resyncInterval] in
                    while !Task.isCancelled {
                        trigger.yield()
                        try? await Task.sleep(for: resyncInterval)
                    }
                }
                // Triggers while a reconcile runs collapse into one more.
                for await _ in triggers { await reconcile() }
            }
        } onCancel: {
            trigger.finish()
        }
        for entry in clients.values { try? await entry.client.shutdown() }
    }

    /// Calls `changed` on every change of the store's objects (a list, then
    /// a watch; listed again after an error).
    static func follow(_ store: ResourceStore, changed: @Sendable () -> Void) async {
        while !Task.isCancelled {
            do {
                let list = try await store.list(namespace: nil, ListQuery())
                var query = ListQuery()
                query.listOptions.resourceVersion = list.resourceVersion
                for await event in try await store.watch(namespace: nil, query, bookmarks: false) {
                    if event.type == .error { break }
                    if event.type != .bookmark { changed() }
                }
            } catch {}
            try? await Task.sleep(for: .seconds(1))
        }
    }

    func reconcile() async {
        do {
            var existing = Dictionary(try await apiServices.list(namespace: nil, ListQuery()).items.map { ($0.name, $0) },
                                      uniquingKeysWith: { $1 })
            try await registerLocal(&existing)
            var routes: [String: ExtensionRoute] = [:]
            var conditions: [(APIObject, ExtensionRoute, reason: String, message: String)] = []
            await withTaskGroup(of: (APIObject, ExtensionRoute, String, String).self) { group in
                for apiService in existing.values where APIServiceSpec(apiService).service != nil {
                    group.addTask { await self.check(apiService) }
                }
                for await (apiService, route, reason, message) in group {
                    routes["\(route.group)/\(route.version)"] = route
                    conditions.append((apiService, route, reason, message))
                }
            }
            // Routes first: once a condition says Available, requests reach the extension.
            routing.publish(routes)
            for (apiService, route, reason, message) in conditions {
                _ = try? await writeCondition(apiService, status: route.available ? "True" : "False", reason: reason, message: message)
            }
            for (name, entry) in clients where routes.values.allSatisfy({ $0.name != name }) {
                clients[name] = nil
                try? await entry.client.shutdown()
            }
        } catch {
            logger.warning("the aggregator could not reconcile APIServices; trying again", metadata: ["error": "\(error)"])
        }
    }

    /// A local APIService per served group-version, as kube's
    /// autoregistration keeps them: built-in ones marked "onstart", those of
    /// custom resources "true" (and removed with their CRD).
    private func registerLocal(_ existing: inout [String: APIObject]) async throws {
        var wanted: [String: ResourceDefinition] = [:]
        for store in registry.served.stores { wanted["\(store.definition.version).\(store.definition.group)"] = store.definition }
        for (name, definition) in wanted {
            if let current = existing[name] {
                if APIServiceSpec(current).service == nil, Self.available(current)?.reason != "Local" {
                    existing[name] = try await writeCondition(current, status: "True", reason: "Local",
                                                              message: "Local APIServices are always available")
                }
                continue
            }
            let priority = LocalAPIServicePriorities.priority(of: definition)
            let object = APIObject(["apiVersion": "apiregistration.k8s.io/v1", "kind": "APIService",
                                    "metadata": ["name": .string(name),
                                                 "labels": [.init(Self.automanagedLabel): definition.isCustomResource ? "true" : "onstart"]],
                                    "spec": ["group": .string(definition.group), "version": .string(definition.version),
                                             "groupPriorityMinimum": .int(priority.group), "versionPriority": .int(priority.version)]])
            do {
                let created = try await apiServices.create(object, namespace: "")
                existing[name] = try await writeCondition(created, status: "True", reason: "Local",
                                                          message: "Local APIServices are always available")
            } catch let error as APIError where error.reason == .alreadyExists {
                // Another server over the same etcd made it first.
            }
        }
        for (name, object) in existing where object.labels[Self.automanagedLabel] == "true" && wanted[name] == nil {
            _ = try? await apiServices.delete(namespace: "", name: name)
            existing[name] = nil
        }
    }

    /// Resolves and checks one remote APIService: its route, and the reason
    /// and message of its Available condition.
    private func check(_ apiService: APIObject) async -> (APIObject, ExtensionRoute, String, String) {
        let spec = APIServiceSpec(apiService)
        let service = spec.service!
        // What the extension said last stays while it is away (kube marks it stale).
        let previous = routing.load().remote["\(spec.group)/\(spec.version)"]
        var route = ExtensionRoute(name: apiService.name, spec: spec, endpoint: nil, available: false, client: nil,
                                   discovery: previous?.discovery, openAPIV2: previous?.openAPIV2, openAPIV3: previous?.openAPIV3)
        var condition: (reason: String, message: String)
        do {
            let endpoint = try await ServiceEndpointResolver(registry: registry)
                .resolve(namespace: service.namespace, name: service.name, port: Int(service.port))
            route.endpoint = endpoint
            route.client = try client(for: apiService.name, spec: spec, endpoint: endpoint)
            condition = await discoveryCheck(&route)
        } catch let failure as ServiceResolutionFailure {
            condition = (failure.reason.rawValue, failure.description)
        } catch {
            condition = ("ServiceAccessError", "\(error)")
        }
        route.available = condition.reason == "Passed"
        return (apiService, route, condition.reason, condition.message)
    }

    /// GET /apis/GROUP/VERSION within 5 s, as kube's availability check
    /// asks it, in the name of system:kube-aggregator. When it passes, what
    /// the extension serves is read too: its aggregated discovery (else the
    /// resource list just fetched) and its OpenAPI.
    private func discoveryCheck(_ route: inout ExtensionRoute) async -> (reason: String, message: String) {
        let path = "/apis/\(route.group)/\(route.version)"
        let shown = "https://\(route.endpoint!.authority)\(path)"
        let list: JSONValue
        do {
            let (status, body) = try await fetch(route, path)
            guard (200..<300).contains(status) else {
                return ("FailedDiscoveryCheck", "failing or missing response from \(shown): bad status from \(shown): \(status)")
            }
            list = body ?? .null
        } catch {
            return ("FailedDiscoveryCheck", "failing or missing response from \(shown): Get \"\(shown)\": \(error)")
        }
        if let (status, document) = try? await fetch(route, "/apis", accept: ExtensionDiscovery.aggregatedAccept), status == 200,
           let document, let entry = ExtensionDiscovery.versionEntry(aggregated: document, group: route.group, version: route.version) {
            route.discovery = entry
        } else {
            route.discovery = ExtensionDiscovery.versionEntry(resourceList: list, version: route.version)
        }
        await fetchOpenAPI(&route)
        return ("Passed", "all checks passed")
    }

    /// The extension's /openapi/v2 and its /openapi/v3 document of this
    /// group-version; what it does not serve stays nil.
    private func fetchOpenAPI(_ route: inout ExtensionRoute) async {
        if let (status, document) = try? await fetch(route, "/openapi/v2"), status == 200 { route.openAPIV2 = document }
        let path = "apis/\(route.group)/\(route.version)"
        guard let (status, index) = try? await fetch(route, "/openapi/v3"), status == 200,
              let url = index?["paths"]?[path]?["serverRelativeURL"]?.stringValue,
              let (docStatus, document) = try? await fetch(route, url), docStatus == 200, let document else { return }
        route.openAPIV3 = ["serverRelativeURL": .string(url), "document": document]
    }

    /// One GET to the extension within the check's time, in the name of
    /// system:kube-aggregator: the status, and the body as JSON (nil if not JSON).
    private func fetch(_ route: ExtensionRoute, _ path: String, accept: String = "application/json") async throws
        -> (Int, JSONValue?) {
        var request = HTTPClientRequest(url: route.baseURL + path)
        request.headers.add(name: "Accept", value: accept)
        request.headers.add(name: "X-Remote-User", value: "system:kube-aggregator")
        request.headers.add(name: "X-Remote-Group", value: "system:masters")
        let response = try await route.client!.execute(request, timeout: Self.checkTimeout)
        let body = try await response.body.collect(upTo: 64 << 20)
        return (Int(response.status.code), try? JSONValue.parse(Array(buffer: body)))
    }

    /// The client for an APIService, made again when its TLS settings or endpoint change.
    private func client(for name: String, spec: APIServiceSpec, endpoint: ServiceEndpoint) throws -> HTTPClient {
        if let entry = clients[name], entry.spec == spec, entry.endpoint == endpoint { return entry.client }
        if let old = clients[name] { Task { try? await old.client.shutdown() } }
        var tls = TLSConfiguration.makeClientConfiguration()
        if spec.insecureSkipTLSVerify {
            tls.certificateVerification = .none
        } else if !spec.caBundle.isEmpty {
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(spec.caBundle))
        }
        tls.certificateChain = identity.certificateChain.map { .certificate($0) }
        tls.privateKey = .privateKey(identity.privateKey)
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls, redirectConfiguration: .disallow)
        // HTTP/1.1 connections, kept and reused: cheaper per request than a new HTTP/2 stream channel each.
        configuration.httpVersion = .http1Only
        configuration.connectionPool = .init(idleTimeout: .seconds(90), concurrentHTTP1ConnectionsPerHostSoftLimit: 256)
        let service = spec.service!
        // The certificate is checked for <service>.<namespace>.svc, reached at the endpoint's address.
        configuration.dnsOverride = ["\(service.name).\(service.namespace).svc": endpoint.host]
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        clients[name] = (spec, endpoint, client)
        return client
    }

    static func available(_ apiService: APIObject) -> (status: String, reason: String, message: String, since: JSONValue?)? {
        guard let condition = apiService["status"]?["conditions"]?.arrayValue?.first(where: { $0["type"] == "Available" }) else { return nil }
        return (condition["status"]?.stringValue ?? "", condition["reason"]?.stringValue ?? "", condition["message"]?.stringValue ?? "",
                condition["lastTransitionTime"])
    }

    /// Sets the Available condition; lastTransitionTime moves only when the status does.
    private func writeCondition(_ apiService: APIObject, status: String, reason: String, message: String) async throws -> APIObject {
        let current = Self.available(apiService)
        if current?.status == status, current?.reason == reason, current?.message == message { return apiService }
        let transition = current?.status == status ? current?.since ?? .string(Timestamp.now()) : .string(Timestamp.now())
        var updated = apiService
        updated["status"] = ["conditions": [["type": "Available", "status": .string(status), "lastTransitionTime": transition,
                                             "reason": .string(reason), "message": .string(message)]]]
        return try await apiServices.update(updated, namespace: "", name: apiService.name, subresource: .status).object
    }
}

/// Berth's front-proxy client certificate and key, loaded once.
struct ProxyIdentity: Sendable {
    let certificateChain: [NIOSSLCertificate]
    let privateKey: NIOSSLPrivateKey

    init(_ files: FrontProxyCertificates) throws {
        certificateChain = try NIOSSLCertificate.fromPEMFile(files.certificateFile)
        privateKey = try NIOSSLPrivateKey(file: files.keyFile, format: .pem)
    }
}
