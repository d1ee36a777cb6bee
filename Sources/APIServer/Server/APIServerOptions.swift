import APIMachinery
import Registry
import Storage

/// How `berth serve` runs the API server; flag names follow kube-apiserver.
public struct APIServerOptions: Sendable {
    public var bindAddress = "0.0.0.0"
    /// HTTPS; 0 picks a free port (tests).
    public var securePort = 6443
    /// Plain HTTP without authentication for local tools; nil (off) by default.
    public var insecurePort: Int?
    public var insecureBindAddress = "127.0.0.1"
    public var tlsCertFile: String?
    public var tlsPrivateKeyFile: String?
    public var tokenAuthFile: String?
    /// --proxy-client-cert-file and --proxy-client-key-file: the certificate
    /// Berth shows extension API servers; generated with a front-proxy CA
    /// into the data directory when absent.
    public var proxyClientCertFile: String?
    public var proxyClientKeyFile: String?
    /// --requestheader-client-ca-file and --requestheader-allowed-names: the
    /// CA (and the names) a front proxy's certificate must have, published
    /// for extension servers; the generated front-proxy CA when absent.
    public var requestheaderClientCAFile: String?
    public var requestheaderAllowedNames: [String] = []
    public var maxRequestBytes = 3 * 1024 * 1024
    public var eventTTLSeconds: Int64 = 3600
    public var etcdPrefix = "/registry"
    /// Where generated certificates, tokens and the kubeconfig live.
    public var dataDirectory: String
    /// Watches without timeoutSeconds last between this and twice this.
    public var minRequestTimeout: Duration = .seconds(1800)
    /// --request-timeout: how long any request but a watch may take before
    /// it is answered 504.
    public var requestTimeout: Duration = .seconds(60)
    /// --max-requests-inflight and --max-mutating-requests-inflight: how
    /// many requests but watches may be served at once before the next gets
    /// 429 (0: no limit).
    public var maxRequestsInflight = 400
    public var maxMutatingRequestsInflight = 200
    /// Limits on connections (header sizes, header and idle deadlines), as kube-apiserver's.
    var connectionLimits = ConnectionLimits()
    /// --runtime-config: which versions and resources are served.
    public var runtimeConfig = RuntimeConfig()
    /// --etcd-compaction-interval: how often the servers sharing the etcd
    /// compact its history (one of them each time); nil for never.
    public var compactionInterval: Duration? = .seconds(300)
    /// --watch-cache: reads and watches from memory, one etcd watch per resource.
    public var watchCache = true
    /// --watch-cache-sizes: changes kept per resource for watches that
    /// start behind (0 turns a resource's cache off).
    public var watchCacheSizes: [GroupResource: Int] = [:]
    /// --storage-version: storage versions other than the built-in ones.
    public var storageVersions = StorageVersionOverrides()
    /// --encryption-provider-config: how the values of the resources it
    /// names are encrypted at rest; nil stores every value as it is.
    public var encryption: EncryptionConfiguration?

    /// Every built-in resource, at the storage versions these options set.
    public func definitions() throws -> [ResourceDefinition] {
        try storageVersions.apply(to: BuiltinResources.definitions(.init(eventTTL: eventTTLSeconds)))
    }

    public init(dataDirectory: String) {
        self.dataDirectory = dataDirectory
    }
}
