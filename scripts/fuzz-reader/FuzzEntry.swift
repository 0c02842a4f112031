// The libFuzzer entry point of scripts/fuzz-reader.sh, compiled into one module with the
// sources of SyncCore (not part of the package). It reads each input as the server reads a
// sync request body, and checks what must hold for every input:
//
// - nothing crashes, traps or overflows (AddressSanitizer and Swift's own checks);
// - a text the strict reading (with the request's shape) accepts, the lenient one accepts as
//   the same tree;
// - a request read from it writes a canonical text (`JSONText`) that reads back as the same
//   request, and writes the same text again.
//
// The answer readers (`SyncResponse`, `RecordState`) run over the same inputs for coverage.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRequestReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    if let lenient = try? JSONReader.parse(bytes) {
        _ = try? SyncResponse(json: lenient)
        _ = try? RecordState(json: lenient)
    }
    let node: JSONNode
    do {
        node = try JSONReader.parse(bytes, shape: SyncRequest.shape)
    } catch {
        _ = error.description
        return 0
    }
    guard let lenient = try? JSONReader.parse(bytes), lenient == node else {
        fatalError("the strict reading accepted a text the lenient one reads otherwise")
    }
    let request: SyncRequest
    do {
        request = try SyncRequest(json: node)
    } catch {
        _ = error.description
        return 0
    }
    var text = JSONText()
    text.syncRequest(request)
    guard let again = try? SyncRequest(json: JSONReader.parse(text.bytes, shape: SyncRequest.shape)) else {
        fatalError("the canonical text of a request does not read back: \(text.text)")
    }
    guard again == request else {
        fatalError("the canonical text of a request reads back as another request: \(text.text)")
    }
    var second = JSONText()
    second.syncRequest(again)
    guard second.bytes == text.bytes else {
        fatalError("the canonical text is not a fixed point: \(text.text) / \(second.text)")
    }
    return 0
}
