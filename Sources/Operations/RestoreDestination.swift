import APIMachinery

/// Where `berth restore logical` puts a backup's objects: straight into etcd
/// (`EtcdRestoreDestination`) or through a running berth's API
/// (`APIRestoreDestination`). Objects arrive as the archive holds them.
public protocol RestoreDestination: Sendable {
    /// Refuses, before anything is written, an archive with objects the
    /// destination cannot take.
    func check(_ entries: [LogicalBackup.Manifest.Entry]) throws
    /// Whether an object of that name exists.
    func exists(_ entry: LogicalBackup.Manifest.Entry, _ object: APIObject) async throws -> Bool
    /// Creates the object; false, with nothing written, when one of that name exists.
    func create(_ entry: LogicalBackup.Manifest.Entry, _ object: APIObject) async throws -> Bool
    /// Replaces the object of that name that exists.
    func replace(_ entry: LogicalBackup.Manifest.Entry, _ object: APIObject) async throws
    /// Returns once the restored CRDs serve their kinds, before their
    /// objects are restored.
    func waitUntilServed(_ crds: [APIObject]) async throws
}

extension RestoreDestination {
    public func waitUntilServed(_ crds: [APIObject]) async throws {}
}
