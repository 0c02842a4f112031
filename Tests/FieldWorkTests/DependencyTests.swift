import Foundation
import Testing

/// The FieldWork library is what an app embeds: it must not pull in the CLI's argument parser.
struct DependencyTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `FieldWork` target's declaration in Package.swift, from its name to its closing parenthesis.
    static func targetDeclaration() throws -> String {
        let manifest = try String(contentsOf: root.appendingPathComponent("Package.swift"), encoding: .utf8)
        guard let start = manifest.range(of: #"\.target\(\s*name: "FieldWork","#, options: .regularExpression) else { return "" }
        var depth = 0
        var end = start.upperBound
        // The declaration runs until the parenthesis that closes `.target(`.
        for index in manifest[start.upperBound...].indices {
            let character = manifest[index]
            if character == "(" { depth += 1 }
            if character == ")" {
                if depth == 0 { end = index; break }
                depth -= 1
            }
        }
        return String(manifest[start.lowerBound..<end])
    }

    @Test func theTargetDependsOnTheStoreAndTheDomainOnly() throws {
        let declaration = try Self.targetDeclaration()
        #expect(!declaration.isEmpty, "Package.swift declares no FieldWork target")
        let dependencies = declaration.components(separatedBy: "\"").enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
        #expect(Set(dependencies) == ["FieldWork", "SyncCore", "SyncStore", "CRM", "Logging", "swift-log"])
        #expect(!declaration.contains("ArgumentParser"))
    }

    @Test func noSourceOfTheLibraryImportsTheArgumentParser() throws {
        let folder = Self.root.appendingPathComponent("Sources/FieldWork")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".swift") }
        #expect(files.count > 5)
        for file in files {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            #expect(!text.contains("import ArgumentParser"), "\(file) imports ArgumentParser")
        }
    }
}
