import Foundation
import Synchronization
import SyncClient
import SyncCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A real TCP proxy on 127.0.0.1 between HTTP clients (URLSession in the test process, or
/// `fieldsync` processes) and a sync server, that injects faults at the HTTP level: it drops
/// requests, drops answers after the server processed the request, delays, cuts request
/// bodies mid-stream (the server sees the connection close), cuts answers mid-stream,
/// duplicates requests and replays old ones. Hooks let a test act at exact points: kill the
/// client once the server answered a push, or kill the server while it handles one.
///
/// Blocking sockets on threads: small, dependency-free, and every connection is closed after
/// one exchange (`Connection: close` both ways), so a fault never leaves a half-used
/// keep-alive connection behind.
final class FaultProxy: Sendable {
    /// One request as it passed the proxy.
    struct Exchange: Sendable {
        var method: String
        var path: String
        /// The decoded sync request, for `POST /v1/sync` (gzip undone).
        var syncRequest: SyncRequest?
        /// The server's raw answer (empty when it gave none).
        var response: Data = Data()

        /// True for a sync request that pushes changes.
        var pushes: Bool { !(syncRequest?.changes.isEmpty ?? true) }
    }

    struct Hooks: Sendable {
        /// Runs once the request was written to the server, before its answer is read.
        var afterForward: (@Sendable (Exchange) -> Void)?
        /// Runs with the server's answer; false withholds it (the client's connection closes).
        var beforeReply: (@Sendable (Exchange) -> Bool)?
    }

    private struct State {
        var upstreamPort: Int
        var rng: SplitMix64
        var plan: FaultPlan
        var hooks = Hooks()
        var running = true
        var exchanges = 0
        var recent: [Data] = []
    }

    let port: Int
    let tally: FaultTally
    private let listener: Int32
    private let state: Mutex<State>

    init(upstreamPort: Int, seed: UInt64, plan: FaultPlan = .none, tally: FaultTally = FaultTally()) throws {
        self.tally = tally
        state = Mutex(State(upstreamPort: upstreamPort, rng: SplitMix64(seed: seed), plan: plan))
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ProxyError("socket() failed: errno \(errno)") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = Self.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 64) == 0 else {
            close(fd)
            throw ProxyError("cannot listen on 127.0.0.1: errno \(errno)")
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listener = fd
        port = Int(UInt16(bigEndian: actual.sin_port))
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    var url: URL {
        // A literal URL of a loopback port always parses.
        URL(string: "http://127.0.0.1:\(port)") ?? URL(fileURLWithPath: "/")
    }

    /// Points the proxy at another server port (a restarted server).
    func setUpstreamPort(_ port: Int) {
        state.withLock { $0.upstreamPort = port }
    }

    func setPlan(_ plan: FaultPlan) {
        state.withLock { $0.plan = plan }
    }

    func setHooks(_ hooks: Hooks) {
        state.withLock { $0.hooks = hooks }
    }

    /// Requests handled so far.
    var exchanges: Int { state.withLock { $0.exchanges } }

    func stop() {
        let wasRunning = state.withLock { state in
            defer { state.running = false }
            return state.running
        }
        guard wasRunning else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    deinit { stop() }

    // MARK: Connections

    private func acceptLoop() {
        while state.withLock({ $0.running }) {
            let client = accept(listener, nil, nil)
            guard client >= 0 else {
                if errno == EINTR { continue }
                return
            }
            let thread = Thread { [self] in
                handle(client)
                close(client)
            }
            thread.start()
        }
    }

    private func handle(_ client: Int32) {
        Self.setTimeout(client, seconds: 30)
        guard let request = readRequest(client) else { return }
        let (fault, cut, delay, replay, upstreamPort, hooks): (Fault?, Double, Int, Data?, Int, Hooks) = state.withLock { state in
            state.exchanges += 1
            let fault = Fault.draw(state.plan, rng: &state.rng)
            let cut = Double.random(in: 0.05..<0.95, using: &state.rng)
            let delay = Int.random(in: 1...max(1, state.plan.maxDelayMilliseconds), using: &state.rng)
            let replay = state.recent.isEmpty ? nil : state.recent[Int.random(in: 0..<state.recent.count, using: &state.rng)]
            state.recent.append(request.bytes)
            if state.recent.count > 30 { state.recent.removeFirst() }
            return (request.exchange.path.hasSuffix("/v1/sync") ? fault : nil, cut, delay, replay, state.upstreamPort, state.hooks)
        }
        if let fault { tally.count("proxy: " + fault.rawValue) }
        var exchange = request.exchange
        switch fault {
        case .dropRequest:
            return
        case .truncateRequest:
            // The head promises the whole body; the server sees the connection close early.
            let headLength = request.bytes.count - request.bodyLength
            _ = Self.exchange(request.bytes.prefix(headLength + Int(Double(request.bodyLength) * cut)), port: upstreamPort, readAnswer: false)
            return
        case .delay:
            usleep(UInt32(delay) * 1000)
        case .duplicateRequest:
            _ = Self.exchange(request.bytes, port: upstreamPort)
        case .replayOldRequest:
            if let replay { _ = Self.exchange(replay, port: upstreamPort) }
        case .dropResponse, .truncateResponse, .cutResponseHead, nil:
            break
        }
        guard let answer = Self.exchange(request.bytes, port: upstreamPort, afterWrite: { hooks.afterForward?(exchange) }) else { return }
        exchange.response = answer
        if let beforeReply = hooks.beforeReply, !beforeReply(exchange) { return }
        switch fault {
        case .dropResponse:
            return
        case .truncateResponse:
            _ = Self.write(client, Self.cut(Self.closingHead(answer), at: cut, inHead: false))
        case .cutResponseHead:
            _ = Self.write(client, Self.cut(Self.closingHead(answer), at: cut, inHead: true))
        default:
            _ = Self.write(client, Self.closingHead(answer))
        }
    }

    private struct ReadRequest {
        var exchange: Exchange
        /// The request as forwarded: head rewritten for one exchange, then the body.
        var bytes: Data
        var bodyLength: Int
    }

    /// Reads one HTTP/1.1 request (Content-Length bodies; answers `Expect: 100-continue`).
    private func readRequest(_ client: Int32) -> ReadRequest? {
        var buffer = Data()
        let separator = Data("\r\n\r\n".utf8)
        var headEnd: Range<Data.Index>?
        while headEnd == nil {
            guard let chunk = Self.read(client), !chunk.isEmpty else { return nil }
            buffer += chunk
            headEnd = buffer.range(of: separator)
        }
        guard let headEnd else { return nil }
        let headText = String(decoding: buffer[..<headEnd.lowerBound], as: UTF8.self)
        var lines = headText.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst()
        var headers: [(String, String)] = []
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name }?.1 }
        let length = header("content-length").flatMap { Int($0) } ?? 0
        var body = Data(buffer[headEnd.upperBound...])
        if body.count < length, header("expect")?.lowercased() == "100-continue" {
            _ = Self.write(client, Data("HTTP/1.1 100 Continue\r\n\r\n".utf8))
        }
        while body.count < length {
            guard let chunk = Self.read(client), !chunk.isEmpty else { return nil }
            body += chunk
        }
        body = body.prefix(length)
        let kept = headers.filter { !["connection", "expect", "keep-alive", "proxy-connection"].contains($0.0.lowercased()) }
        let head = ([requestLine] + kept.map { "\($0.0): \($0.1)" } + ["Connection: close", "", ""]).joined(separator: "\r\n")
        let parts = requestLine.split(separator: " ")
        var exchange = Exchange(method: parts.first.map(String.init) ?? "", path: parts.dropFirst().first.map(String.init) ?? "")
        if exchange.path.hasSuffix("/v1/sync") {
            let plain = header("content-encoding")?.lowercased() == "gzip" ? (try? Gzip.decompress(body)) : body
            exchange.syncRequest = plain.flatMap { try? JSONDecoder().decode(SyncRequest.self, from: $0) }
        }
        return ReadRequest(exchange: exchange, bytes: Data(head.utf8) + body, bodyLength: body.count)
    }

    /// Sends `bytes` to the server on a fresh connection and reads its answer to the end;
    /// nil when the server cannot be reached or closed without answering.
    private static func exchange(_ bytes: Data, port: Int, readAnswer: Bool = true, afterWrite: () -> Void = {}) -> Data? {
        let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard upstream >= 0 else { return nil }
        defer { close(upstream) }
        setTimeout(upstream, seconds: 30)
        var address = loopback(port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0, write(upstream, bytes) else { return nil }
        afterWrite()
        guard readAnswer else {
            shutdown(upstream, Int32(SHUT_WR))
            return nil
        }
        var answer = Data()
        while let chunk = read(upstream), !chunk.isEmpty { answer += chunk }
        return answer.isEmpty ? nil : answer
    }

    /// The first part of `reply`, ending at `fraction` (0..<1) of its head (`inHead`) or of its
    /// body: a cut body keeps the whole head and loses at least one body byte, a cut head keeps
    /// at least its first byte and loses the blank line that ends it.
    static func cut(_ reply: Data, at fraction: Double, inHead: Bool) -> Data {
        let headEnd = reply.range(of: Data("\r\n\r\n".utf8))?.upperBound ?? reply.endIndex
        if inHead {
            let length = headEnd - reply.startIndex
            return reply.prefix(max(1, min(length - 1, Int(Double(length) * fraction))))
        }
        let bodyLength = reply.endIndex - headEnd
        return reply.prefix(headEnd - reply.startIndex + min(max(0, bodyLength - 1), Int(Double(bodyLength) * fraction)))
    }

    /// The answer with `Connection: close` in its head, so the client opens a new connection
    /// for its next request.
    private static func closingHead(_ answer: Data) -> Data {
        guard let end = answer.range(of: Data("\r\n\r\n".utf8)) else { return answer }
        let lines = String(decoding: answer[..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
            .filter { !$0.lowercased().hasPrefix("connection:") && !$0.lowercased().hasPrefix("keep-alive:") }
        return Data((lines + ["Connection: close", "", ""]).joined(separator: "\r\n").utf8) + answer[end.upperBound...]
    }

    // MARK: Sockets

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port)).bigEndian
        address.sin_addr = in_addr(s_addr: inet_addr("127.0.0.1"))
        return address
    }

    private static func setTimeout(_ socket: Int32, seconds: Int) {
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(socket, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    /// One read; nil on error, empty at end of stream.
    private static func read(_ socket: Int32) -> Data? {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        let count = recv(socket, &buffer, buffer.count, 0)
        guard count >= 0 else { return nil }
        return Data(buffer.prefix(count))
    }

    private static func write(_ socket: Int32, _ data: Data) -> Bool {
        var offset = 0
        let bytes = [UInt8](data)
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { return false }
            offset += sent
        }
        return true
    }
}

struct ProxyError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
