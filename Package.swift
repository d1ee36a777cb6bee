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
        .target(
            name: "APIMachinery",
            dependencies: [.product(name: "Collections", package: "swift-collections")]
        ),
        .target(name: "Storage", dependencies: ["EtcdClient", "APIMachinery"]),
        .executableTarget(
            name: "berth",
            dependencies: [
                "EtcdClient", "Storage",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "etcd-bench", dependencies: ["EtcdClient"], path: "bench/etcd-bench"),
        .target(name: "TestSupport", dependencies: ["EtcdClient"], path: "Tests/TestSupport"),
        .testTarget(name: "EtcdClientTests", dependencies: ["EtcdClient", "TestSupport"]),
        .testTarget(name: "APIMachineryTests", dependencies: ["APIMachinery"]),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
