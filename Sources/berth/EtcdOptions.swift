import ArgumentParser
import EtcdClient
import Registry
import Storage

/// The etcd flags every subcommand shares, named as kube-apiserver names them.
struct EtcdOptions: ParsableArguments {
    @Option(help: "Comma-separated etcd endpoints.")
    var etcdServers: String?
    @Option(help: "Prefix of every key Berth writes in etcd.")
    var etcdPrefix = "/registry"
    @Option(name: .customLong("etcd-cafile"), help: "CA for TLS to etcd.")
    var etcdCAFile: String?
    @Option(name: .customLong("etcd-certfile"), help: "Client certificate for etcd.")
    var etcdCertFile: String?
    @Option(name: .customLong("etcd-keyfile"), help: "Client key for etcd.")
    var etcdKeyFile: String?

    /// How to reach the etcd of --etcd-servers; nil when none was given.
    var configuration: EtcdConfiguration? {
        guard let etcdServers else { return nil }
        var configuration = EtcdConfiguration(endpoints: etcdServers.split(separator: ",").map(String.init))
        configuration.caFile = etcdCAFile
        configuration.certFile = etcdCertFile
        configuration.keyFile = etcdKeyFile
        return configuration
    }
}

extension EtcdOptions {
    /// The operator tools work on an etcd that runs already.
    func requireServers() throws {
        guard etcdServers != nil else { throw ValidationError("--etcd-servers is required") }
    }
}

/// --storage-version for the operator tools, read as `berth serve` reads it,
/// so a tool and the server cannot disagree on where objects belong.
struct StorageVersionOptions: ParsableArguments {
    @Option(help: "RESOURCE.GROUP=VERSION, as given to berth serve (repeatable).")
    var storageVersion: [String] = []

    /// Every built-in resource at the storage versions these flags set.
    func definitions() throws -> [ResourceDefinition] {
        do {
            return try StorageVersionOverrides(parsing: storageVersion).apply(to: BuiltinResources.definitions())
        } catch let error as RuntimeConfig.ParseError {
            throw ValidationError(error.description)
        }
    }
}

/// --encryption-provider-config, for berth serve and the operator tools
/// alike: a tool that reads or writes etcd must see values as the server
/// stores them.
struct EncryptionOptions: ParsableArguments {
    @Option(help: "An apiserver.config.k8s.io/v1 EncryptionConfiguration: the resources whose values are encrypted in etcd, and with which providers and keys (identity, aescbc, aesgcm, secretbox).")
    var encryptionProviderConfig: String?

    /// The configuration, read and checked; nil without the flag.
    func configuration() throws -> EncryptionConfiguration? {
        do {
            return try encryptionProviderConfig.map(EncryptionConfiguration.load(path:))
        } catch let error as EncryptionConfigurationError {
            throw ValidationError("--encryption-provider-config: \(error)")
        }
    }
}
