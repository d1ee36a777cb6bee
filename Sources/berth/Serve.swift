import APIMachinery
import APIServer
import ArgumentParser
import CMallocTuning
import EtcdClient
import Foundation
import Logging
import Registry
import ServiceLifecycle
import Storage

/// `berth serve`: the Kubernetes API over etcd. Without --etcd-servers it
/// starts its own etcd (the embedded default) under --data-dir and stops it
/// on shutdown. Flags are kube-apiserver's where the meaning is the same.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve the Kubernetes API over etcd.")

    /// Without --etcd-servers, Berth starts its own etcd from PATH.
    @OptionGroup var etcd: EtcdOptions

    @Option(help: "Address the HTTPS port listens on.")
    var bindAddress = "0.0.0.0"
    @Option(help: "HTTPS port (HTTP/2 and HTTP/1.1).")
    var securePort = 6443
    @Option(help: "Serving certificate (PEM). Without it, one is generated into the data directory.")
    var tlsCertFile: String?
    @Option(help: "Key of --tls-cert-file (PEM).")
    var tlsPrivateKeyFile: String?
    @Option(help: "CSV of static bearer tokens: token,user,uid[,\"group1,group2\"]. Without it, one admin token is generated.")
    var tokenAuthFile: String?
    @Option(help: "Client certificate Berth shows extension API servers it proxies to (PEM). Without it, a front-proxy CA and a certificate with CN front-proxy-client are generated into the data directory.")
    var proxyClientCertFile: String?
    @Option(help: "Key of --proxy-client-cert-file (PEM).")
    var proxyClientKeyFile: String?
    @Option(help: "CA that signs front-proxy client certificates, published to extension servers in kube-system/extension-apiserver-authentication (PEM).")
    var requestheaderClientCAFile: String?
    @Option(help: "Common names a front-proxy client certificate may have, comma-separated; empty: any the CA signed.")
    var requestheaderAllowedNames = ""
    @Option(help: "Largest request body accepted; larger ones get 413.")
    var maxRequestBytes = 3 * 1024 * 1024
    @Option(help: "How long a request (but a watch) may take before it is answered 504 (Go duration).")
    var requestTimeout = "1m"
    @Option(help: "Most requests (but watches) served at once; past it a read gets 429. 0: no limit.")
    var maxRequestsInflight = 400
    @Option(help: "Most create, update, patch and delete requests served at once; past it one gets 429. 0: no limit.")
    var maxMutatingRequestsInflight = 200
    @Option(help: "How long events are kept (Go duration: 1h, 30m, 90s).")
    var eventTTL = "1h"
    @Option(help: "How often to compact etcd's history (Go duration); servers sharing the etcd take turns. 0 turns it off.")
    var etcdCompactionInterval = "5m"
    @Option(help: "Plain-HTTP port without authentication, for local tools. Off unless given.")
    var insecurePort: Int?
    @Option(help: "Address the plain-HTTP port listens on.")
    var insecureBindAddress = "127.0.0.1"
    @Option(help: "Where Berth keeps the embedded etcd's data, generated certificates, tokens and the kubeconfig.")
    var dataDir = "berth-data"
    @Option(help: "Versions and resources to serve or not: api/all, api/ga, api/beta, api/alpha, GROUP/VERSION or GROUP/VERSION/RESOURCE, each =true or =false (api/v1 is the core group), comma-separated.")
    var runtimeConfig = ""
    @Option(help: "Serve reads and watches from memory, kept current by one etcd watch per resource (false: every read goes to etcd).")
    var watchCache = true
    @Option(help: "RESOURCE[.GROUP]#SIZE,...: how many changes a resource's watch cache keeps for watches that start behind (0 turns its cache off).")
    var watchCacheSizes = ""
    @Option(help: "RESOURCE.GROUP=VERSION: store new writes of a resource at VERSION instead of its default storage version (repeatable; configmaps=v1, horizontalpodautoscalers.autoscaling=v1).")
    var storageVersion: [String] = []
    @OptionGroup var encryption: EncryptionOptions

    func validate() throws {
        if (tlsCertFile == nil) != (tlsPrivateKeyFile == nil) {
            throw ValidationError("--tls-cert-file and --tls-private-key-file go together")
        }
        guard let timeout = GoDuration.seconds(requestTimeout), timeout > 0 else {
            throw ValidationError("--request-timeout: \"\(requestTimeout)\" is not a positive duration such as 1m or 30s")
        }
        if (proxyClientCertFile == nil) != (proxyClientKeyFile == nil) {
            throw ValidationError("--proxy-client-cert-file and --proxy-client-key-file go together")
        }
        guard maxRequestsInflight >= 0, maxMutatingRequestsInflight >= 0 else {
            throw ValidationError("--max-requests-inflight and --max-mutating-requests-inflight can not be negative")
        }
        guard GoDuration.seconds(eventTTL) != nil else { throw ValidationError("--event-ttl: \"\(eventTTL)\" is not a duration such as 1h or 30m") }
        guard GoDuration.seconds(etcdCompactionInterval) != nil else {
            throw ValidationError("--etcd-compaction-interval: \"\(etcdCompactionInterval)\" is not a duration such as 5m or 0")
        }
        // Unknown groups, versions and resources stop here, before etcd starts.
        do {
            _ = try apiOptions(directory: dataDir).definitions()
        } catch let error as RuntimeConfig.ParseError {
            throw ValidationError(error.description)
        }
    }

    /// The options these flags give the API server.
    func apiOptions(directory: String) throws -> APIServerOptions {
        var options = APIServerOptions(dataDirectory: directory)
        options.etcdPrefix = etcd.etcdPrefix
        options.bindAddress = bindAddress
        options.securePort = securePort
        options.tlsCertFile = tlsCertFile
        options.tlsPrivateKeyFile = tlsPrivateKeyFile
        options.tokenAuthFile = tokenAuthFile
        options.maxRequestBytes = maxRequestBytes
        options.proxyClientCertFile = proxyClientCertFile
        options.proxyClientKeyFile = proxyClientKeyFile
        options.requestheaderClientCAFile = requestheaderClientCAFile
        options.requestheaderAllowedNames = requestheaderAllowedNames.split(separator: ",").map(String.init)
        options.requestTimeout = .seconds(GoDuration.seconds(requestTimeout) ?? 60)
        options.maxRequestsInflight = maxRequestsInflight
        options.maxMutatingRequestsInflight = maxMutatingRequestsInflight
        options.eventTTLSeconds = GoDuration.seconds(eventTTL) ?? 3600
        let compactionSeconds = GoDuration.seconds(etcdCompactionInterval) ?? 300
        options.compactionInterval = compactionSeconds > 0 ? .seconds(compactionSeconds) : nil
        options.insecurePort = insecurePort
        options.insecureBindAddress = insecureBindAddress
        options.runtimeConfig = try RuntimeConfig(parsing: runtimeConfig)
        options.storageVersions = try StorageVersionOverrides(parsing: storageVersion)
        options.watchCache = watchCache
        options.watchCacheSizes = try Self.watchCacheSizes(watchCacheSizes)
        options.encryption = try encryption.configuration()
        return options
    }

    /// kube's --watch-cache-sizes: "pods#1000,deployments.apps#0".
    static func watchCacheSizes(_ flag: String) throws -> [GroupResource: Int] {
        var sizes: [GroupResource: Int] = [:]
        for entry in flag.split(separator: ",") {
            let parts = entry.split(separator: "#", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, let size = Int(parts[1]), size >= 0 else {
                throw ValidationError("--watch-cache-sizes: \"\(entry)\" is not RESOURCE[.GROUP]#SIZE")
            }
            let name = parts[0].split(separator: ".", maxSplits: 1)
            sizes[GroupResource(group: name.count > 1 ? String(name[1]) : "", resource: String(name[0]))] = size
        }
        return sizes
    }

    func run() async throws {
        berth_tune_malloc()
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .info
            return handler
        }
        let logger = Logger(label: "berth")
        let directory = URL(fileURLWithPath: dataDir).standardizedFileURL.path

        var embedded: EmbeddedEtcd?
        let etcdConfiguration: EtcdConfiguration
        if let configuration = etcd.configuration {
            etcdConfiguration = configuration
        } else {
            let server = try EmbeddedEtcd(dataDirectory: directory + "/etcd")
            logger.info("starting the embedded etcd", metadata: ["data": "\(directory)/etcd", "log": "\(server.logFile)"])
            try await server.start()
            embedded = server
            etcdConfiguration = server.configuration
        }
        let client = try await EtcdClient.connect(etcdConfiguration)

        let server = try APIServer(options: apiOptions(directory: directory), client: client, logger: logger)

        let services = try server.services { secure, port in
            if secure {
                do {
                    let kubeconfig = try server.writeKubeconfig(port: port)
                    print("Berth is serving the Kubernetes API on https://\(bindAddress):\(port)")
                    print("Use it with:  kubectl --kubeconfig \(kubeconfig) get namespaces")
                    fflush(nil)  // show the hint at once, even through a pipe
                } catch {
                    logger.error("could not write the kubeconfig", metadata: ["error": "\(error)"])
                }
            } else {
                print("Plain HTTP without authentication on http://\(insecureBindAddress):\(port)")
                fflush(nil)
            }
        }
        let group = ServiceGroup(configuration: .init(services: services.map { .init(service: $0) },
                                                      gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch {
            server.registry.stopWatchCaches()
            await embedded?.stop()
            throw error
        }
        logger.info("stopped serving")
        server.registry.stopWatchCaches()
        await embedded?.stop()
    }
}

/// Go's duration syntax for flags such as --event-ttl: "1h", "30m", "1h30m", "90s".
enum GoDuration {
    static func seconds(_ text: String) -> Int64? {
        let units: [Character: Double] = ["h": 3600, "m": 60, "s": 1]
        var total = 0.0
        var number = ""
        var rest = Substring(text)
        guard !rest.isEmpty else { return nil }
        while let character = rest.first {
            rest = rest.dropFirst()
            if character.isNumber || character == "." {
                number.append(character)
            } else if character == "m" && rest.first == "s" {
                guard let value = Double(number) else { return nil }
                total += value / 1000
                number = ""
                rest = rest.dropFirst()
            } else if let unit = units[character], let value = Double(number) {
                total += value * unit
                number = ""
            } else {
                return nil
            }
        }
        guard number.isEmpty || number == "0" else { return nil }
        return Int64(total.rounded())
    }
}
