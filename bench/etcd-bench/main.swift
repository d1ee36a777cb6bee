// Measures EtcdClient against a real etcd: Put and Range throughput and
// latency at several concurrencies on one client (one connection per
// endpoint), a 10,000-key list, and the client's own CPU cost per operation.
// Run through scripts/bench, which starts etcd and adds etcd's own reference.
import EtcdClient
import Foundation

struct Options {
    var endpoint = ""
    var seconds = 5.0
    var concurrencies = [1, 16, 64]
    var valueBytes = 256

    init(_ arguments: [String]) {
        var iterator = arguments.dropFirst().makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--endpoint": endpoint = iterator.next() ?? ""
            case "--seconds": seconds = Double(iterator.next() ?? "") ?? seconds
            case "--concurrency": concurrencies = (iterator.next() ?? "").split(separator: ",").compactMap { Int($0) }
            case "--value-bytes": valueBytes = Int(iterator.next() ?? "") ?? valueBytes
            default:
                fatalError("unknown argument \(argument); usage: etcd-bench --endpoint HOST:PORT [--seconds S] [--concurrency 1,16,64] [--value-bytes N]")
            }
        }
        precondition(!endpoint.isEmpty, "--endpoint is required")
    }
}

/// User plus system CPU seconds this process has used.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
    func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return 0 }
    return sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
}

struct Result {
    var name: String
    var concurrency: Int
    var operations: Int
    var seconds: Double
    var p50: Double
    var p99: Double
    var cpuPerOperation: Double
}

func run(_ name: String, concurrency: Int, seconds: Double,
         _ operation: @escaping @Sendable (Int) async throws -> Void) async throws -> Result {
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    let cpuBefore = cpuSeconds()
    let started = ContinuousClock.now
    let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
        for worker in 0..<concurrency {
            group.addTask {
                var latencies: [Double] = []
                var index = worker
                while ContinuousClock.now < deadline {
                    let begin = ContinuousClock.now
                    try await operation(index)
                    let elapsed = ContinuousClock.now - begin
                    latencies.append(Double(elapsed.components.attoseconds) / 1e12 + Double(elapsed.components.seconds) * 1e6)
                    index += concurrency
                }
                return latencies
            }
        }
        return try await group.reduce(into: []) { $0 += $1 }
    }.sorted()
    let elapsed = ContinuousClock.now - started
    let wall = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let cpu = cpuSeconds() - cpuBefore
    return Result(name: name, concurrency: concurrency, operations: latencies.count, seconds: wall,
                  p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99),
                  cpuPerOperation: cpu / Double(max(latencies.count, 1)) * 1e6)
}

let options = Options(CommandLine.arguments)
var configuration = EtcdConfiguration(endpoints: [options.endpoint])
configuration.requestTimeout = .seconds(30)
let client = try EtcdClient(configuration)
let value = [UInt8](repeating: UInt8(ascii: "v"), count: options.valueBytes)

// Keys for the Range runs.
for index in 0..<1000 {
    _ = try await client.put(PutRequest(key: Array("/bench/get/\(index)".utf8), value: value))
}

print("| operation | concurrency | ops | ops/s | p50 µs | p99 µs | client CPU µs/op |")
print("|---|---:|---:|---:|---:|---:|---:|")
for concurrency in options.concurrencies {
    for name in ["Put", "Range"] {
        let result = try await run(name, concurrency: concurrency, seconds: options.seconds) { index in
            if name == "Put" {
                _ = try await client.put(PutRequest(key: Array("/bench/put/\(index % 10_000)".utf8), value: value))
            } else {
                _ = try await client.range(RangeRequest(key: Array("/bench/get/\(index % 1000)".utf8)))
            }
        }
        print(String(format: "| %@ | %d | %d | %.0f | %.0f | %.0f | %.1f |", result.name, result.concurrency,
                     result.operations, Double(result.operations) / result.seconds, result.p50, result.p99,
                     result.cpuPerOperation))
    }
}

// A list of 10,000 keys in one Range.
let listPrefix = Array("/bench/list/".utf8)
try await withThrowingTaskGroup(of: Void.self) { group in
    for worker in 0..<16 {
        group.addTask {
            for index in stride(from: worker, to: 10_000, by: 16) {
                _ = try await client.put(PutRequest(key: listPrefix + Array(String(format: "%05d", index).utf8), value: value))
            }
        }
    }
    try await group.waitForAll()
}
var listTimes: [Double] = []
var listCPU: [Double] = []
var listBytes = 0
for _ in 0..<20 {
    let cpuBefore = cpuSeconds()
    let begin = ContinuousClock.now
    let response = try await client.range(.prefix(listPrefix))
    let elapsed = ContinuousClock.now - begin
    listCPU.append((cpuSeconds() - cpuBefore) * 1000)
    precondition(response.kvs.count == 10_000)
    listBytes = response.kvs.reduce(0) { $0 + $1.key.count + $1.value.count }
    listTimes.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1e3)
}
listTimes.sort()
listCPU.sort()
print("")
print(String(format: "List of 10,000 keys (%.1f MiB of keys and values) in one Range, 20 runs: median %.1f ms, p90 %.1f ms; client CPU median %.1f ms per list",
             Double(listBytes) / 1_048_576, percentile(listTimes, 0.5), percentile(listTimes, 0.9), percentile(listCPU, 0.5)))
