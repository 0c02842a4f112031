import CRM
import FieldSyncTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import SyncCore
import Testing

@testable import SyncServer

@Suite("Server-side writes and imports")
struct ServerWriteTests {
    static let productID = "0190a0b0-0000-7000-8000-000000000001"
    static let accountID = "0190a0b0-0000-7000-8000-0000000000a1"

    static let importJSON = """
        {"records": [
          {"entity": "product", "id": "\(productID)", "fields": {"sku": "TEA-01", "name": "Green tea", "unit_price": "12.5", "active": true}},
          {"entity": "account", "id": "\(accountID)", "fields": {"name": "Acme", "territory": "east", "tags": ["vip", "tea"], "loyalty_points": 40}}
        ]}
        """

    @Test("imported records enter the log with the server's dots and reach devices", arguments: StorageBackend.all)
    func importReachesDevices(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let service = fixture.syncService()
            let file = try RecordImport.decode(from: Array(Self.importJSON.utf8))
            let summary = try await service.writeAsServer(file.records)
            #expect(summary.written == 2)
            let serverReplica = try await fixture.storage.serverReplica()

            let app = try await fixture.app()
            try await app.test(.router) { client in
                var alice = try await fixture.enroll("alice")
                try await client.syncUntilDone(&alice)
                let product = try #require(alice.record("product", Self.productID))
                #expect(product.value(of: "name") == .string("Green tea"))
                #expect(product.version[serverReplica] == 1)
                let account = try #require(alice.record("account", Self.accountID))
                #expect(account.value(of: "tags") == .string("tea,vip"))
                #expect(account.value(of: "loyalty_points") == .int(40))
            }

            // Importing the same file again writes nothing; changing a value writes one change.
            #expect(try await service.writeAsServer(file.records) == ServerWriteSummary(sequences: [], unchanged: 2))
            var changed = file.records
            changed[1].fields["tags"] = .elements(["vip"])
            changed[1].fields["loyalty_points"] = .value(.int(25))
            let second = try await service.writeAsServer(changed)
            #expect(second.written == 1)
            let account = try #require(try await fixture.storage.record(entity: "account", id: Self.accountID))
            #expect(account.value(of: "tags") == .string("vip"))
            #expect(account.value(of: "loyalty_points") == .int(25))
        }
    }

    @Test("a bad import is refused whole", arguments: StorageBackend.all)
    func badImportChangesNothing(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let service = fixture.syncService()
            let good = RecordWrite(entity: "product", id: Self.productID, fields: ["sku": .value(.string("A")), "name": .value(.string("A")), "unit_price": .value(.string("1"))])
            let bad = RecordWrite(entity: "product", id: newRecordID(), fields: ["colour": .value(.string("red"))])
            await #expect(throws: ServerError.self) {
                _ = try await service.writeAsServer([good, bad])
            }
            #expect(try await fixture.storage.logCount() == 0)
            #expect(try await fixture.storage.records().isEmpty)
            #expect(throws: ServerError.self) {
                _ = try RecordImport.decode(from: Array(#"{"records": [{"entity": 1}]}"#.utf8))
            }
        }
    }
}

@Suite("Configuration and encodings")
struct ConfigurationTests {
    @Test("environment variables apply and are checked")
    func environment() throws {
        let configuration = try ServerConfiguration().applying(environment: [
            "FIELDSYNC_HOST": "127.0.0.2", "FIELDSYNC_PORT": "0", "FIELDSYNC_SERVER_DB": "/tmp/x.sqlite",
            "FIELDSYNC_LOG_LEVEL": "DEBUG", "FIELDSYNC_MAX_REQUEST_BYTES": "1000", "FIELDSYNC_MAX_CLOCK_SKEW": "2.5",
        ])
        #expect(configuration.host == "127.0.0.2")
        #expect(configuration.port == 0)
        #expect(configuration.databasePath == "/tmp/x.sqlite")
        #expect(configuration.logLevel == .debug)
        #expect(configuration.maxRequestBytes == 1000)
        #expect(configuration.maxClockSkewMilliseconds == 2500)
        #expect(throws: ConfigurationError.self) { try ServerConfiguration().applying(environment: ["FIELDSYNC_PORT": "http"]) }
        #expect(throws: ConfigurationError.self) { try ServerConfiguration().applying(environment: ["FIELDSYNC_MAX_CLOCK_SKEW": "-1"]) }
        // Its sentence in either language, the variable and the value as typed.
        #expect(ConfigurationMessage.problems.isEmpty, "\(ConfigurationMessage.problems)")
        #expect(throws: ConfigurationError(.notAPort, ["source": "FIELDSYNC_PORT", "text": "http"])) { try ServerConfiguration().applying(environment: ["FIELDSYNC_PORT": "http"]) }
        let port = ConfigurationError(.notAPort, ["source": "FIELDSYNC_PORT", "text": "http"])
        #expect(port.message == "FIELDSYNC_PORT: 'http' is not a port number (0-65535)")
        #expect(port.message(in: .chinese) == "FIELDSYNC_PORT：'http' 不是端口号（0-65535）")
        #expect(ServerConfiguration().maxClockSkewMilliseconds == 60_000)
    }

    @Test("the connection and load limits apply from the environment and are checked")
    func limitsFromEnvironment() throws {
        let configuration = try ServerConfiguration().applying(environment: [
            "FIELDSYNC_HEADER_TIMEOUT": "0.5", "FIELDSYNC_BODY_TIMEOUT": "30s", "FIELDSYNC_IDLE_TIMEOUT": "2m",
            "FIELDSYNC_SHUTDOWN_GRACE": "3", "FIELDSYNC_MAX_CONNECTIONS": "500", "FIELDSYNC_MAX_BUFFERED_BYTES": "8388608",
            "FIELDSYNC_MAX_UNAUTHENTICATED_BYTES": "2048", "FIELDSYNC_EXPENSIVE_READS": "2", "FIELDSYNC_EXPENSIVE_READ_QUEUE": "0",
        ])
        #expect(configuration.headerReadTimeout == .milliseconds(500))
        #expect(configuration.bodyReadTimeout == .seconds(30))
        #expect(configuration.idleTimeout == .seconds(120))
        #expect(configuration.shutdownGracePeriod == .seconds(3))
        #expect(configuration.maxConnections == 500)
        #expect(configuration.maxBufferedRequestBytes == 8 * 1024 * 1024)
        #expect(configuration.unauthenticatedBodyLimit == 2048)
        #expect(configuration.maxConcurrentExpensiveReads == 2)
        #expect(configuration.maxQueuedExpensiveReads == 0)
        for (key, value) in [
            ("FIELDSYNC_HEADER_TIMEOUT", "0"), ("FIELDSYNC_BODY_TIMEOUT", "soon"), ("FIELDSYNC_MAX_CONNECTIONS", "0"),
            ("FIELDSYNC_MAX_BUFFERED_BYTES", "1024"), ("FIELDSYNC_EXPENSIVE_READS", "0"), ("FIELDSYNC_EXPENSIVE_READ_QUEUE", "-1"),
        ] {
            #expect(throws: ConfigurationError.self, "\(key)=\(value)") { try ServerConfiguration().applying(environment: [key: value]) }
        }
    }

    @Test("gzip round trip; every truncation, and every change to the trailer, is refused")
    func gzipTruncation() throws {
        let original = ByteBuffer(string: String(repeating: "{\"fieldsync\": true}", count: 50))
        let encoded = try GzipBody.encode(original)
        #expect(try GzipBody.decode(encoded, maxBytes: 1 << 20) == original)
        for length in 1..<encoded.readableBytes {
            let prefix = encoded.getSlice(at: encoded.readerIndex, length: length) ?? ByteBuffer()
            #expect(throws: ServerError.self, "\(length) bytes") { try GzipBody.decode(prefix, maxBytes: 1 << 20) }
        }
        // The CRC-32 (zlib checks it) and the length.
        for position in (encoded.readableBytes - 8)..<encoded.readableBytes {
            var bytes = Array(encoded.readableBytesView)
            bytes[position] ^= 0x01
            #expect(throws: ServerError.self, "byte \(position)") { try GzipBody.decode(ByteBuffer(bytes: bytes), maxBytes: 1 << 20) }
        }
    }

    @Test("Accept-Encoding parsing")
    func acceptEncoding() {
        #expect(JSONResponse.acceptsGzip("gzip, deflate"))
        #expect(JSONResponse.acceptsGzip("br;q=1.0, gzip;q=0.8"))
        #expect(!JSONResponse.acceptsGzip("gzip;q=0"))
        #expect(!JSONResponse.acceptsGzip("identity"))
        #expect(!JSONResponse.acceptsGzip(nil))
    }
}
