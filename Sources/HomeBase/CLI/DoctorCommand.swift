/// `homebase doctor`: checks the config, sources, price coverage and disk space, and says what to fix.
struct DoctorCommand: Command {
    let name = "doctor"
    let summary = "check the config, sources, prices and disk space before cron does"
    let help = """
        usage: homebase doctor [--config FILE] [--openclaw DIR]... [--data DIR] [...]

        Checks that the config is valid, the sources exist and are readable, the catalog opens,
        the price book covers every model in the lake, and there is disk space for the lake and
        its backups; prints what to fix.

        \(ConfigFlags.help)

        exit codes: 0 all good, 1 something must be fixed, 2 usage or config error, 3 warnings
        """

    func run(_ arguments: [String], console: Console) throws -> ExitCode {
        let parsed = try ArgumentScanner.scan(arguments, spec: OptionSpec(valued: ConfigFlags.valued, repeatable: ConfigFlags.repeatable))
        let config: HomeBaseConfig
        do { config = try ConfigFlags.load(parsed) } catch let error as ConfigError { throw UsageError("\(error)") }
        let findings = Doctor(config: config).check()
        for finding in findings { console.out("\(finding.level.rawValue.padding(toLength: 4, withPad: " ", startingAt: 0)) \(finding.message)") }
        if findings.contains(where: { $0.level == .fail }) { return .failure }
        return findings.contains(where: { $0.level == .warn }) ? .warnings : .success
    }
}
