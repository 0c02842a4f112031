import Foundation

/// `Benchmarks/results/latest.json` holds what several tools measured: `fieldsync-bench` writes
/// its rows and figures, `fieldsync-replay` its report under `replay`. Each replaces its own keys
/// and keeps every other one, so a run of one tool does not erase the other's figures.
public enum ResultsFile {
    public static func merge(_ members: [String: any Encodable], into path: String, encoder: JSONEncoder = JSONEncoder()) throws {
        let url = URL(fileURLWithPath: path)
        var root: [String: Any] = [:]
        if let data = try? Data(contentsOf: url), let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] {
            root = object
        }
        for (key, value) in members {
            root[key] = try JSONSerialization.jsonObject(with: encoder.encode(value), options: .fragmentsAllowed)
        }
        let data = try JSONSerialization.data(withJSONObject: root, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url, options: .atomic)
    }
}
