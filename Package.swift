// swift-tools-version:6.1
// Berth: a Kubernetes-compatible API server over etcd. Targets follow the layers in
// docs/architecture.md; each knows only the layers below it.
import PackageDescription

let package = Package(
    name: "Berth",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "berth", targets: ["berth"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        .package(url: "https://github.com/apple/swift-atomics", from: "1.2.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-nio-http2", from: "1.46.0"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.0"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.1.0"),
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.4.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    ],
    targets: [
        // gRPC C core + protobuf-c; include/cetcd.h is the whole surface.
        .target(
            name: "CEtcd",
            exclude: [],
            cSettings: [
                .unsafeFlags(["-Wall", "-Wno-unused-function"]),
            ],
            linkerSettings: [
                // Not a pkg-config system library: grpc.pc's Requires expand to a
                // link line longer than the OS accepts.
                .linkedLibrary("grpc"),
                .linkedLibrary("gpr"),
                .linkedLibrary("protobuf-c"),
            ]
        ),
        .target(name: "EtcdClient", dependencies: ["CEtcd"]),
        // mallopt for berth serve (Swift's Glibc module leaves out <malloc.h>).
        .target(name: "CMallocTuning"),
        // AES-CBC for the aescbc encryption provider, through OpenSSL's libcrypto.
        .target(name: "CCipher", linkerSettings: [.linkedLibrary("crypto")]),
        .target(
            name: "APIMachinery",
            dependencies: [.product(name: "Collections", package: "swift-collections"), .product(name: "Yams", package: "Yams")]
        ),
        .target(
            name: "Storage",
            dependencies: ["EtcdClient", "APIMachinery", "CMallocTuning", .product(name: "CoreMetrics", package: "swift-metrics"),
                           .product(name: "DequeModule", package: "swift-collections"),
                           .product(name: "Logging", package: "swift-log"),
                           // Encryption at rest: AES-GCM; AES-CBC is CCipher's.
                           .product(name: "Crypto", package: "swift-crypto"), "CCipher"]
        ),
        // Resource definitions, strategies and the generic registry store.
        .target(
            name: "Registry",
            dependencies: [
                "Storage", "APIMachinery", .product(name: "CoreMetrics", package: "swift-metrics"),
                // The served set is swapped whole, with no lock on the request path.
                .product(name: "Atomics", package: "swift-atomics"),
                // CRD conversion webhooks, over HTTPS verified against their caBundle.
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // HTTP: request info, negotiation, handlers, watch streaming, discovery.
        .target(
            name: "APIServer",
            dependencies: [
                "Registry", "Storage", "EtcdClient", "APIMachinery", "Operations", "CMallocTuning",
                .product(name: "Atomics", package: "swift-atomics"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdHTTP2", package: "hummingbird"),
                // The connection channel (APIConnectionChannel) is built from NIO's parts.
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP2", package: "swift-nio-extras"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // migrate, backup and restore, shared by the CLI and the tests.
        .target(
            name: "Operations",
            dependencies: [
                "Registry", "Storage", "EtcdClient", "APIMachinery",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CompressNIO", package: "compress-nio"),
                // berth restore logical through a running server's API.
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .executableTarget(
            name: "berth",
            dependencies: [
                "EtcdClient", "Storage", "Registry", "APIServer", "Operations", "CMallocTuning",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(name: "etcd-bench", dependencies: ["EtcdClient"], path: "bench/etcd-bench"),
        // What scripts/bench-aggregation proxies to.
        .executableTarget(
            name: "extension-server",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdHTTP2", package: "hummingbird"),
            ],
            path: "bench/extension-server"
        ),
        // libFuzzer's target for the body decoders; scripts/fuzz builds and runs it.
        .executableTarget(name: "berth-fuzz", dependencies: ["APIMachinery", "Registry"], path: "Fuzz/BodyDecoders"),
        .target(
            name: "TestSupport",
            dependencies: [
                "EtcdClient",
                // TCPForwarder: a network fault between a client and its etcd.
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Tests/TestSupport"
        ),
        .testTarget(name: "EtcdClientTests", dependencies: ["EtcdClient", "TestSupport"]),
        .testTarget(name: "APIMachineryTests", dependencies: ["APIMachinery"]),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "TestSupport", .product(name: "MetricsTestKit", package: "swift-metrics")]),
        .testTarget(name: "RegistryTests", dependencies: ["Registry", "APIMachinery"]),
        .testTarget(
            name: "OperationsTests",
            dependencies: [
                "Operations", "APIServer", "TestSupport",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "APIServerTests",
            dependencies: [
                "APIServer", "TestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            exclude: ["Fixtures"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
