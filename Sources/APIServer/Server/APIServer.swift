import APIMachinery
import EtcdClient
import Foundation
import Hummingbird
import HummingbirdHTTP2
import Logging
import Operations
import NIOSSL
import Registry
import Storage
import ServiceLifecycle

/// The Kubernetes API server: the registry over etcd, the HTTPS port (HTTP/2
/// and HTTP/1.1, negotiated by ALPN), the optional plain-HTTP port, and the
/// control loops (initial namespaces, namespace deletion). Its `services` run
/// in a ServiceGroup, which handles graceful shutdown.
public final class APIServer: Sendable {
    public let options: APIServerOptions
    public let registry: Registry
    /// Discovery and OpenAPI of what the registry serves now.
    let servedAPI: ServedAPICache
    let metrics: Metrics
    public let readiness = Readiness()
    /// The kubeconfig written for this server and the token it carries.
    public let kubeconfigPath: String
    public let adminToken: String?
    let certificate: (certificateFile: String, keyFile: String, caFile: String?)
    let authenticator: TokenAuthenticator
    /// The remote APIServices the proxy reaches, kept by the aggregator's controller.
    let routing = APIServiceRouting()
    let proxyIdentity: ProxyIdentity
    let extensionAuthentication: ExtensionAuthenticationConfigMap
    /// Trusts a front proxy's X-Remote-* headers (this server's own proxy included).
    let requestHeaderAuthenticator: RequestHeaderAuthenticator
    let client: EtcdClient
    let logger: Logger

    /// Berth speaks the Kubernetes API of this release.
    public static let kubernetesVersion = (major: "1", minor: "32", patch: "0")
    public static let berthVersion = "0.1.0"

    public init(options: APIServerOptions, client: EtcdClient, logger: Logger) throws {
        self.options = options
        self.client = client
        self.logger = logger
        let metrics = Metrics()
        self.metrics = metrics
        registry = try Registry(client: client, prefix: options.etcdPrefix, definitions: options.definitions(),
                                runtimeConfig: options.runtimeConfig, schemas: BuiltinResources.schemas,
                                metrics: metrics.factory,
                                cachers: options.watchCache
                                    ? Cachers(client: client, prefix: options.etcdPrefix, sizes: options.watchCacheSizes,
                                              metrics: metrics.factory) : nil,
                                encryption: options.encryption)
        let version = Self.kubernetesVersion
        servedAPI = ServedAPICache(registry: registry, routing: routing, kubernetesVersion: "v\(version.major).\(version.minor).\(version.patch)")
        let directory = options.dataDirectory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        if let cert = options.tlsCertFile, let key = options.tlsPrivateKeyFile {
            certificate = (cert, key, nil)
        } else {
            let generated = try ServingCertificate.loadOrGenerate(in: directory + "/certificates")
            certificate = (generated.certificateFile, generated.keyFile, generated.caFile)
        }
        let tokenFile = try options.tokenAuthFile ?? Self.generatedTokenFile(in: directory)
        authenticator = try TokenAuthenticator(contentsOf: tokenFile)
        adminToken = authenticator.users.first { $0.value.groups.contains("system:masters") }?.key
            ?? authenticator.users.keys.sorted().first
        kubeconfigPath = directory + "/kubeconfig"
        let proxyFiles: FrontProxyCertificates
        if let cert = options.proxyClientCertFile, let key = options.proxyClientKeyFile {
            proxyFiles = FrontProxyCertificates(certificateFile: cert, keyFile: key, caFile: options.requestheaderClientCAFile)
        } else {
            proxyFiles = try FrontProxyCertificates.loadOrGenerate(in: directory + "/certificates")
        }
        proxyIdentity = try ProxyIdentity(proxyFiles)
        let requestHeaderCA = try (options.requestheaderClientCAFile ?? proxyFiles.caFile)
            .map { try String(contentsOfFile: $0, encoding: .utf8) } ?? ""
        extensionAuthentication = ExtensionAuthenticationConfigMap(
            requestHeaderCA: requestHeaderCA,
            allowedNames: options.requestheaderAllowedNames.isEmpty && options.proxyClientCertFile == nil
                ? [FrontProxyCertificates.commonName] : options.requestheaderAllowedNames)
        requestHeaderAuthenticator = try RequestHeaderAuthenticator(caPEM: requestHeaderCA,
                                                                    allowedNames: extensionAuthentication.allowedNames)
    }

    /// data-dir/tokens.csv with one random admin token, made once.
    static func generatedTokenFile(in directory: String) throws -> String {
        let path = directory + "/tokens.csv"
        if !FileManager.default.fileExists(atPath: path) {
            var generator = SystemRandomNumberGenerator()
            let token = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
            try ServingCertificate.write("\(token),berth-admin,berth-admin,\"system:masters\"\n", to: path, mode: 0o600)
        }
        return path
    }

    public var namespaceFinalizer: NamespaceFinalizer { NamespaceFinalizer(registry: registry) }

    /// Where a local client reaches the HTTPS port: loopback when it listens on every address.
    var clientHost: String {
        options.bindAddress == "0.0.0.0" || options.bindAddress == "::" ? "127.0.0.1" : options.bindAddress
    }

    /// Writes the kubeconfig for `https://HOST:PORT` and returns its path.
    public func writeKubeconfig(port: Int) throws -> String {
        let caPEM = try certificate.caFile.map { try String(contentsOfFile: $0, encoding: .utf8) }
        try ServingCertificate.write(Kubeconfig(server: "https://\(clientHost):\(port)", certificateAuthority: caPEM, token: adminToken).rendered,
                                     to: kubeconfigPath, mode: 0o600)
        return kubeconfigPath
    }

    var versionInfo: JSONValue {
        let version = Self.kubernetesVersion
        return ["major": .string(version.major), "minor": .string(version.minor),
                "gitVersion": .string("v\(version.major).\(version.minor).\(version.patch)-berth.\(Self.berthVersion)"),
                "gitCommit": "", "gitTreeState": "clean", "buildDate": "", "goVersion": "", "compiler": "swift",
                "platform": "linux/amd64"]
    }

    /// Links shared by both ports, so their limits count every request.
    let inFlight = InFlightLimit.Counters()

    /// The handler chain of one port, in kube-apiserver's order: the header
    /// limit, metrics, errors as Status, authentication, the in-flight limit
    /// and the timeout, then the aggregator's proxy, then the local API.
    func responder(authenticated: Bool, serverAddress: String) -> HandlerChain {
        let local = LocalAPI(
            resources: ResourceHandler(registry: registry, maxRequestBytes: options.maxRequestBytes,
                                       watches: WatchHandler(minimumTimeout: options.minRequestTimeout)),
            servedAPI: servedAPI, serverAddress: serverAddress,
            health: Health(client: client, readiness: readiness),
            metrics: metrics, version: versionInfo)
        let authenticators: [any RequestAuthenticator] = authenticated ? [requestHeaderAuthenticator, authenticator] : [UnsecuredUser()]
        return HandlerChain([
            HeaderSizeLimit(maximumBytes: options.connectionLimits.maximumHeaderBytes),
            RequestMetrics(metrics: metrics),
            StatusErrors(logger: logger),
            Authentication(authenticators: authenticators),
            InFlightLimit(maxReadOnly: options.maxRequestsInflight, maxMutating: options.maxMutatingRequestsInflight,
                          counters: inFlight),
            RequestTimeout(timeout: options.requestTimeout),
            ExtensionProxy(routing: routing, maxRequestBytes: options.maxRequestBytes, logger: logger),
        ], handler: local)
    }

    /// The services to run: the HTTPS server, the plain-HTTP one when
    /// enabled, and the control loops. `onListening` hears each bound port.
    public func services(onListening: @escaping @Sendable (_ secure: Bool, _ port: Int) async -> Void = { _, _ in }) throws -> [any Service] {
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(certificate.certificateFile).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: certificate.keyFile, format: .pem)))
        tls.applicationProtocols = ["h2", "http/1.1"]
        // A client certificate is asked for, not required: a front proxy shows one from the request-header CA.
        if !extensionAuthentication.requestHeaderCA.isEmpty {
            tls.certificateVerification = .optionalVerification
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(extensionAuthentication.requestHeaderCA.utf8)))
        }
        let advertised = "\(clientHost):\(options.securePort)"
        var services: [any Service] = [
            Application(
                responder: responder(authenticated: true, serverAddress: advertised),
                server: .connections(tls: try NIOSSLContext(configuration: tls), limits: options.connectionLimits),
                configuration: .init(address: .hostname(options.bindAddress, port: options.securePort), serverName: nil),
                onServerRunning: { channel in await onListening(true, channel.localAddress?.port ?? 0) },
                logger: logger),
        ]
        if let port = options.insecurePort {
            services.append(Application(
                responder: responder(authenticated: false, serverAddress: "\(options.insecureBindAddress):\(port)"),
                server: .connections(tls: nil, limits: options.connectionLimits),
                configuration: .init(address: .hostname(options.insecureBindAddress, port: port), serverName: nil),
                onServerRunning: { channel in await onListening(false, channel.localAddress?.port ?? 0) },
                logger: logger))
        }
        services.append(ControlLoops(registry: registry, readiness: readiness, logger: logger,
                                     aggregator: AggregatorController(registry: registry, routing: routing,
                                                                      identity: proxyIdentity, logger: logger),
                                     extensionAuthentication: extensionAuthentication,
                                     compactor: options.compactionInterval.map { (Compactor(client: client), $0) },
                                     migrations: StorageVersionMigrationController(registry: registry, client: client,
                                                                                   prefix: options.etcdPrefix)))
        return services
    }
}

/// What runs beside the HTTP servers: creating the initial namespaces (retried
/// until etcd answers; /readyz waits for it), the namespace cache admission
/// reads, the namespace finalizer, the CRD controller (serving custom
/// resources), storage version migrations, and etcd compaction.
struct ControlLoops: Service {
    let registry: Registry
    let readiness: Readiness
    let logger: Logger
    /// nil when apiregistration.k8s.io/v1 is not served.
    let aggregator: AggregatorController?
    let extensionAuthentication: ExtensionAuthenticationConfigMap
    /// The compactor and its interval; nil when --etcd-compaction-interval is 0.
    let compactor: (Compactor, Duration)?
    let migrations: StorageVersionMigrationController

    func run() async throws {
        try await cancelWhenGracefulShutdown { [registry, readiness, logger, compactor, migrations, aggregator, extensionAuthentication] in
            var warned = false
            while !Task.isCancelled {
                do {
                    try await registry.ensureInitialNamespaces()
                    break
                } catch {
                    if !warned {
                        logger.warning("etcd is not answering; retrying every second until it does", metadata: ["error": "\(error)"])
                        warned = true
                    }
                    try await Task.sleep(for: .seconds(1))
                }
            }
            if warned { logger.info("etcd answers again") }
            readiness.markBootstrapped()
            await withDiscardingTaskGroup { group in
                group.addTask { await registry.namespaceCache.run(namespaces: registry.namespaces) }
                group.addTask { await NamespaceFinalizer(registry: registry).run() }
                if let crds = CustomResourceDefinitionController(registry: registry) {
                    group.addTask { await crds.run() }
                }
                group.addTask { await migrations.run() }
                if let aggregator { group.addTask { await aggregator.run() } }
                group.addTask {
                    while !Task.isCancelled {
                        do {
                            return try await extensionAuthentication.publish(registry: registry)
                        } catch {
                            logger.warning("could not publish extension-apiserver-authentication; retrying", metadata: ["error": "\(error)"])
                            try? await Task.sleep(for: .seconds(1))
                        }
                    }
                }
                if let (compactor, interval) = compactor {
                    group.addTask {
                        var compactor = compactor
                        await compactor.run(every: interval) { error in
                            logger.warning("etcd compaction failed; trying again next interval", metadata: ["error": "\(error)"])
                        }
                    }
                }
            }
        }
    }
}
