#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A plain TCP connection to a test server on 127.0.0.1, for clients that misbehave on
/// purpose — half a head, half a body, nothing at all — which an HTTP client will not send.
///
/// `@unchecked Sendable`: a test hands a connection to a client closure, but only one task uses
/// it at a time (the closure runs while the test awaits it).
final class RawConnection: @unchecked Sendable {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private var descriptor: Int32

    init(port: Int) throws {
        #if canImport(Glibc)
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { throw Failure(description: "socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            let error = errno
            close()
            throw Failure(description: "connect to 127.0.0.1:\(port): errno \(error)")
        }
    }

    deinit { close() }

    /// Sends `text` as it is (no line endings added).
    func send(_ text: String) throws {
        try send(Array(text.utf8))
    }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { buffer in
                #if canImport(Glibc)
                Glibc.send(descriptor, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL))
                #else
                Darwin.send(descriptor, buffer.baseAddress, buffer.count, 0)
                #endif
            }
            guard sent > 0 else { throw Failure(description: "send: errno \(errno)") }
            offset += sent
        }
    }

    /// Reads until the server closes the connection or `timeout` passes; true when it closed.
    func waitForClose(timeout: Duration) async throws -> Bool {
        var received: [UInt8] = []
        return try await read(until: { _ in false }, into: &received, timeout: timeout) == .closed
    }

    /// Reads one HTTP response (head and a `Content-Length` body); nil when none arrives within
    /// `timeout`. Returns the status code and the body.
    func readResponse(timeout: Duration) async throws -> (status: Int, body: String)? {
        var received: [UInt8] = []
        _ = try await read(until: { Self.parseResponse($0) != nil }, into: &received, timeout: timeout)
        return Self.parseResponse(received)
    }

    func close() {
        if descriptor >= 0 {
            #if canImport(Glibc)
            _ = Glibc.close(descriptor)
            #else
            _ = Darwin.close(descriptor)
            #endif
            descriptor = -1
        }
    }

    private enum ReadEnd { case complete, closed, timedOut }

    /// Polls without blocking and sleeps between polls: a blocked thread of the cooperative pool
    /// would starve the server under test, whose handlers run on the same pool.
    private func read(until complete: ([UInt8]) -> Bool, into received: inout [UInt8], timeout: Duration) async throws -> ReadEnd {
        let deadline = ContinuousClock.now + timeout
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while !complete(received) {
            // The socket is looked at before the clock: a sleep that overslept the deadline on a
            // busy pool still gets one look at what arrived meanwhile.
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, 0)
            guard ready > 0 else {
                guard ContinuousClock.now < deadline else { return .timedOut }
                try await Task.sleep(for: .milliseconds(10))
                continue
            }
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count <= 0 { return .closed }
            received += buffer[0..<count]
        }
        return .complete
    }

    private static func parseResponse(_ bytes: [UInt8]) -> (status: Int, body: String)? {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let headEnd = text.range(of: "\r\n\r\n") else { return nil }
        let head = text[..<headEnd.lowerBound]
        let lines = head.split(separator: "\r\n")
        guard let statusLine = lines.first, let status = statusLine.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else { return nil }
        let length = lines.dropFirst().first { $0.lowercased().hasPrefix("content-length:") }
            .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
        let body = Array(text[headEnd.upperBound...].utf8)
        guard body.count >= length else { return nil }
        return (status, String(decoding: body.prefix(length), as: UTF8.self))
    }
}
