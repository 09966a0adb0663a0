import Foundation
import SQLiteStore
import Lake
import Config
import Pipeline

/// `homebase doctor`: checks the config, sources, price coverage and disk space, and says what to fix.
struct DoctorCommand: Command {
    let name = "doctor"
    let summary = "check the config, sources, prices and disk space before cron does"
    /// Built when asked for: its interpolations are not paid by every run of the command.
    var help: String {
        """
        usage: homebase doctor [--config FILE] [--openclaw DIR]... [--data DIR] [--deep] [...]

        Checks that the config is valid, the sources exist and are readable, the catalog opens,
        the price book covers every model in the lake, and there is disk space for the lake and
        its backups; prints what to fix. --deep also re-reads every live part and checks it
        against the SHA-256 the catalog recorded when it was written (a mismatch names the part).

        \(ConfigFlags.help)

        exit codes: 0 all good, 1 something must be fixed, 2 usage or config error, 3 warnings
        """
    }

    func run(_ arguments: [String], console: Console) throws -> ExitCode {
        let parsed = try ArgumentScanner.scan(
            arguments, spec: OptionSpec(valued: ConfigFlags.valued, switches: ["deep"], repeatable: ConfigFlags.repeatable, locations: ["backup-dir"])
        )
        let config: HomeBaseConfig
        do { config = try ConfigFlags.load(parsed) } catch let error as ConfigError { throw UsageError("\(error)") }
        var findings = Doctor(config: config).check()
        if parsed.has("deep") { findings += DoctorCommand.deepFindings(dataDir: config.dataDir) }
        for finding in findings { console.out("\(finding.level.rawValue.padding(toLength: 4, withPad: " ", startingAt: 0)) \(finding.message)") }
        if findings.contains(where: { $0.level == .fail }) { return .failure }
        return findings.contains(where: { $0.level == .warn }) ? .warnings : .success
    }

    /// `--deep`: each live part against its recorded SHA-256.
    static func deepFindings(dataDir: String) -> [Doctor.Finding] {
        guard FileManager.default.fileExists(atPath: dataDir + "/" + Catalog.fileName) else { return [] }
        do {
            let (checked, problems) = try PartChecksums.verify(dataDir: dataDir)
            if problems.isEmpty {
                return [Doctor.Finding(level: .ok, message: "parts: \(checked) match the SHA-256 recorded when they were written")]
            }
            return problems.map { Doctor.Finding(level: .fail, message: "part " + $0) }
        } catch {
            return [Doctor.Finding(level: .fail, message: "parts: cannot check against the catalog: \(error)")]
        }
    }
}
