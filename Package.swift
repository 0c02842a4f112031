// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "FieldSync",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "SyncCore", targets: ["SyncCore"]),
        .library(name: "SyncStore", targets: ["SyncStore"]),
        .library(name: "CRM", targets: ["CRM"]),
        .library(name: "SyncClient", targets: ["SyncClient"]),
        .library(name: "FieldWork", targets: ["FieldWork"]),
        .library(name: "SyncServer", targets: ["SyncServer"]),
        .executable(name: "fieldsync", targets: ["fieldsync"]),
        .executable(name: "fieldsync-server", targets: ["fieldsync-server"]),
        .executable(name: "fieldsync-bench", targets: ["fieldsync-bench"]),
        .executable(name: "fieldsync-load", targets: ["fieldsync-load"]),
        .executable(name: "fieldsync-replay", targets: ["fieldsync-replay"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        // TLS for the server's own LISTEN connection (postgres-nio's pool builds it from the same).
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        // Latency percentiles of the load generator (mergeable across its worker processes).
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
        // The load replayer's lean HTTP client (event-driven on NIO, no spinning while it waits).
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        // Documentation only: `swift package generate-documentation --target FieldWork`.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
        // Tests only: OpenAPIDocumentTests parses SyncServer/openapi.yaml.
        .package(url: "https://github.com/jpsim/Yams.git", from: "5.0.1"),
        // Child processes (the demo's server, CLIs run by tests, PostgreSQL commands): see
        // Sources/SyncClient/ChildProcess.swift for why not Foundation's Process.
        .package(url: "https://github.com/swiftlang/swift-subprocess.git", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.8.1"),
    ],
    targets: [
        // Pure merge engine: no storage, no networking.
        .target(name: "SyncCore"),
        // GRDB's cached statements stepped through SQLite's C interface, for the statements the
        // device store and the server run over and over.
        .target(
            name: "SQLiteDirect",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
        .target(
            name: "SyncStore",
            dependencies: [
                "SyncCore",
                "SQLiteDirect",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "CRM", dependencies: ["SyncCore"]),
        // The field rep's workflows over the device store, for the CLI and for apps:
        // no ArgumentParser (FieldWorkTests checks this list).
        .target(
            name: "FieldWork",
            dependencies: ["SyncCore", "SyncStore", "CRM", .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "SyncClient",
            dependencies: [
                "SyncCore",
                "SyncStore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        .target(
            name: "SyncServer",
            dependencies: [
                "SyncCore",
                "CRM",
                "SQLiteDirect",
                .product(name: "GRDB", package: "GRDB.swift"),
                // The SQLite C API GRDB is built on: the server reads a result's column names from it.
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                // HTTP1Channel, to add the read deadlines to its pipeline.
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            // The target's folder is SyncServer/ so that openapi.yaml, kept at the top of it,
            // can be compiled in and served at /openapi.yaml.
            path: "SyncServer",
            exclude: ["README.md", "Sources/fieldsync-server"],
            sources: ["Sources/SyncServer"],
            resources: [.embedInCode("openapi.yaml")]
        ),
        .executableTarget(
            name: "fieldsync-server",
            dependencies: [
                "SyncServer",
                "SyncCore",
                "CRM",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            path: "SyncServer/Sources/fieldsync-server"
        ),
        .executableTarget(
            name: "fieldsync",
            dependencies: [
                "FieldWork",
                "SyncCore",
                "SyncStore",
                "CRM",
                "SyncClient",
                "SyncServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "fieldsync-bench",
            dependencies: [
                "SyncCore",
                "SyncStore",
                "CRM",
                // The CRM's edit rule, for the tracked edit as the CLI makes it.
                "FieldWork",
                "SyncClient",
                "SyncServer",
                "LoadGeneration",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/Sources/fieldsync-bench"
        ),
        // Tests only: the PostgreSQL test cluster and the store type that runs a test on
        // either backend.
        .target(
            name: "FieldSyncTestSupport",
            dependencies: [
                "SyncServer", "SyncCore", "CRM", "SyncClient", .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            path: "Tests/FieldSyncTestSupport"
        ),
        // Simulated devices in worker processes, shared by fieldsync-load and fieldsync-bench.
        .target(
            name: "LoadGeneration",
            dependencies: [
                "SyncCore",
                "SyncStore",
                "CRM",
                "SyncClient",
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/Sources/LoadGeneration"
        ),
        .executableTarget(
            name: "fieldsync-load",
            dependencies: [
                "LoadGeneration",
                "SyncClient",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/Sources/fieldsync-load"
        ),
        // Open-loop replay of pre-built sync requests against server processes it starts.
        .target(
            name: "LoadReplay",
            dependencies: [
                "LoadGeneration",
                "SyncCore",
                "SyncStore",
                "CRM",
                "SyncClient",
                // The private PostgreSQL cluster the tests use, for the PostgreSQL setups.
                "FieldSyncTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/Sources/LoadReplay"
        ),
        .executableTarget(
            name: "fieldsync-replay",
            dependencies: [
                "LoadReplay",
                "LoadGeneration",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/Sources/fieldsync-replay"
        ),
        .testTarget(name: "SyncCoreTests", dependencies: ["SyncCore"]),
        .testTarget(
            name: "SyncStoreTests",
            dependencies: ["SyncStore", "SQLiteDirect", "CRM", "FieldSyncTestSupport", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(name: "CRMTests", dependencies: ["CRM", "SyncStore"]),
        .testTarget(
            name: "FieldWorkTests",
            dependencies: ["FieldWork", "CRM", "SyncStore", "SyncCore"]
        ),
        .testTarget(
            name: "SyncClientTests",
            dependencies: ["SyncClient", "SyncServer", "CRM", .product(name: "Subprocess", package: "swift-subprocess")]
        ),
        .testTarget(
            name: "SyncServerTests",
            dependencies: [
                "SyncServer",
                "CRM",
                "SyncStore",
                "SyncClient",
                "FieldSyncTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .testTarget(name: "EndToEndTests", dependencies: ["FieldWork", "SyncClient", "SyncStore", "SyncServer", "CRM", "FieldSyncTestSupport", "LoadGeneration", "LoadReplay"]),
    ],
    swiftLanguageModes: [.v6]
)
