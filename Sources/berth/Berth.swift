import ArgumentParser

@main
struct Berth: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "berth",
        abstract: "A Kubernetes-compatible API server backed by etcd.",
        subcommands: [Serve.self, Migrate.self, Backup.self, Restore.self, Version.self])
}

struct Version: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print Berth's version.")
    static let current = "0.1.0-dev"
    func run() { print("berth \(Self.current)") }
}
