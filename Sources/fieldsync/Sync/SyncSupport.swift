import ArgumentParser
import CRM
import FieldWork
import Foundation
import Logging
import SyncClient
import SyncCore
import SyncStore

/// The device database every command works on.
struct DeviceOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(CLIHelp.database(), valueName: "path"))
    var db: String?

    @Flag(name: .long, help: ArgumentHelp(CLIHelp.verbose()))
    var verbose = false

    var path: String {
        if let db { return db }
        let environment = ProcessInfo.processInfo.environment
        if let env = environment["FIELDSYNC_DB"], !env.isEmpty { return env }
        return Self.defaultPath(environment: environment)
    }

    /// `$XDG_DATA_HOME/fieldsync/device.sqlite` when XDG_DATA_HOME is set, else
    /// `$HOME/.fieldsync/device.sqlite` (the account's home directory when HOME is unset).
    static func defaultPath(environment: [String: String]) -> String {
        if let data = environment["XDG_DATA_HOME"], data.hasPrefix("/") {
            return URL(fileURLWithPath: data).appendingPathComponent("fieldsync/device.sqlite").path
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser
        return home.appendingPathComponent(".fieldsync/device.sqlite").path
    }

    var logger: Logger {
        var logger = Logger(label: "fieldsync")
        logger.logLevel = verbose ? .debug : .error
        return logger
    }

    /// Folders made for the store are the owner's only (0700); the store file itself is made
    /// 0600 by `DeviceStore`. The default folder is narrowed to 0700 if it was made wider.
    func openStore() throws -> DeviceStore {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        if db == nil, ProcessInfo.processInfo.environment["FIELDSYNC_DB"].map(\.isEmpty) ?? true {
            try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: folder.path)
        }
        return try CommandErrors.report {
            try DeviceStore(path: path, schema: CRMSchema.schema, rule: CRMRules.rule, logger: logger)
        }
    }
}

/// Turns library errors into one line on stderr and a non-zero exit.
enum CommandErrors {
    /// Runs a request to the server with this device's store. When the server answers that an
    /// admin wiped the device, the store's files are deleted and the command says why.
    /// Runs a request to the server. A wiped device deletes its store and says why; errors for
    /// which `passing` is true are thrown as they are, for the command to report; others
    /// become one line on stderr.
    static func contactingServer<T>(
        _ device: DeviceOptions, _ store: DeviceStore, passing: (SyncClientError) -> Bool = { _ in false }, _ body: () async throws -> T
    ) async throws -> T {
        do {
            return try await body()
        } catch let error as SyncClientError where error.isDeviceWiped {
            let unsynced = (try? store.outbox().count) ?? 0
            do {
                try DeviceStore.deleteFiles(atPath: device.path)
            } catch {
                throw failure(CLIString.wipedNotDeleted(["path": device.path, "error": error]))
            }
            throw failure(unsynced > 0 ? CLIString.wipedUnsynced(["path": device.path, "n": unsynced]) : CLIString.wiped(["path": device.path]))
        } catch let error as SyncClientError where passing(error) {
            throw error
        } catch {
            throw translate(error)
        }
    }

    static func report<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch { throw translate(error) }
    }

    static func report<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch { throw translate(error) }
    }

    /// `error: MESSAGE` (`错误：MESSAGE` in Chinese) on stderr; exit code 1.
    static func failure(_ message: String) -> Error {
        TerminalOutput.write(CLIString.error(["message": message]) + "\n", to: .standardError)
        return ExitCode(1)
    }

    /// A refusal with its stable code first, for scripts and for searching the documentation;
    /// the code stays as it is in every language, the sentence is said in the CLI's.
    static func coded(_ code: String, _ refusal: Refusal) -> Error {
        failure("\(code)\(cliLanguage == .chinese ? "：" : ": ")\(refusal.text(cliLanguage))")
    }

    /// A sync client's failure as one line: its message in the CLI's language, then the HTTP
    /// status and the stable code as they are (`… (HTTP 409, user_exists)`).
    static func text(of error: SyncClientError) -> String {
        let message = CLIPhrases.refusal(code: error.code, error.message, cliLanguage)
        return error.status.map { "\(message) (HTTP \($0), \(error.code))" } ?? "\(message) (\(error.code))"
    }

    static func translate(_ error: Error) -> Error {
        switch error {
        case let error as StoreError: return coded(error.code, error.refusal)
        case let error as SyncCore.ValidationError: return coded(error.code.rawValue, error.refusal)
        case let error as LoyaltyError: return coded(error.code.rawValue, error.refusal)
        case let error as VisitPlanError: return coded(error.code.rawValue, error.refusal)
        case let error as SyncClientError: return failure(text(of: error))
        case is ExitCode, is CleanExit: return error
        default: return failure("\(error)")
        }
    }
}

/// Stable JSON on stdout for `--json`.
enum JSONOutput {
    static func print<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        FileHandle.standardOutput.write(try encoder.encode(value))
        FileHandle.standardOutput.write(Data("\n".utf8))
    }
}
