package dev.lifeboat.cli.command;

import dev.lifeboat.cli.ExitCodes;
import dev.lifeboat.core.BackupService;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.config.LifeboatConfig;
import dev.lifeboat.core.config.ScheduleConfig;
import dev.lifeboat.core.schedule.KubernetesCronJobs;
import dev.lifeboat.core.schedule.SystemdUnits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lifeboat schedule export --systemd DIR | --kubernetes}. */
@Command(
        name = "export",
        description = {
            "Write the schedules for the scheduler you already run: with --systemd DIR a .service and a .timer per"
                    + " schedule (Persistent=true, RandomizedDelaySec from randomized_delay), with --kubernetes a"
                    + " CronJob per schedule on stdout (concurrencyPolicy: Forbid, lifeboat.yaml from a ConfigMap,"
                    + " every password_env and other *_env variable from a Secret).",
            "Both run 'lifeboat schedule run-once NAME', whose run marker keeps one slot from running twice."
        })
public final class ScheduleExportCommand extends ServiceCommand {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    /** Where to: one of --systemd DIR, --kubernetes. */
    static final class Target {
        @Option(
                names = "--systemd",
                paramLabel = "DIR",
                description = "Write lifeboat-NAME.service and lifeboat-NAME.timer per schedule into DIR"
                        + " (e.g. /etc/systemd/system), replacing files of those names.")
        Path systemd;

        @Option(names = "--kubernetes", description = "Print one CronJob per schedule as YAML on stdout.")
        boolean kubernetes;
    }

    @Parameters(paramLabel = "NAME", arity = "0..*", description = "Only these schedules (default: all).")
    List<String> names = new ArrayList<>();

    @Option(
            names = "--command",
            paramLabel = "PATH",
            description = "systemd: the lifeboat launcher the service runs (default: /usr/local/bin/lifeboat).")
    Path command = Path.of("/usr/local/bin/lifeboat");

    @Option(names = "--user", paramLabel = "NAME", description = "systemd: the user the service runs as (User=).")
    String user;

    @Option(
            names = "--environment-file",
            paramLabel = "PATH",
            description = "systemd: a 0600 file of NAME=value lines holding the password_env variables"
                    + " (EnvironmentFile=).")
    Path environmentFile;

    @Option(
            names = "--image",
            paramLabel = "IMAGE",
            description = "kubernetes: the container image with Java 17+ and lifeboat on its PATH (default:"
                    + " lifeboat:latest).")
    String image = "lifeboat:latest";

    @Option(
            names = "--config-map",
            paramLabel = "NAME",
            description = "kubernetes: the ConfigMap whose key lifeboat.yaml is the configuration (default:"
                    + " lifeboat-config).")
    String configMap = "lifeboat-config";

    @Option(
            names = "--secret",
            paramLabel = "NAME",
            description = "kubernetes: the Secret holding each variable the runs read, under its own name (default:"
                    + " lifeboat-env).")
    String secret = "lifeboat-env";

    @Option(names = "--namespace", paramLabel = "NS", description = "kubernetes: the CronJobs' namespace.")
    String namespace;

    /** What {@code --json} prints. */
    record Exported(String format, List<String> schedules, List<String> files, String yaml) {}

    @Override
    protected int run(BackupService service) {
        LifeboatConfig config = service.config();
        List<ScheduleConfig> chosen = chosen(config);
        List<String> scheduleNames = chosen.stream().map(ScheduleConfig::name).toList();
        if (target.kubernetes) {
            String yaml = new KubernetesCronJobs(image, configMap, secret, namespace).render(config, chosen);
            out().result(new Exported("kubernetes", scheduleNames, List.of(), yaml), yaml.stripTrailing());
            return ExitCodes.OK;
        }
        if (!command.isAbsolute()) {
            throw new LifeboatException(
                    ErrorCode.INVALID_ARGUMENT,
                    "--command " + command + " is not an absolute path; systemd runs absolute paths only",
                    "name the installed launcher, e.g. --command /usr/local/bin/lifeboat");
        }
        Path configFile = config.source() == null ? null : config.source().toAbsolutePath();
        SystemdUnits units = new SystemdUnits(command, configFile, user, environmentFile);
        List<String> written = new ArrayList<>();
        try {
            Files.createDirectories(target.systemd);
            for (ScheduleConfig s : chosen) {
                for (Map.Entry<String, String> f : units.render(s).entrySet()) {
                    Path file = target.systemd.resolve(f.getKey());
                    Files.writeString(file, f.getValue());
                    written.add(file.toString());
                }
            }
        } catch (IOException e) {
            throw new LifeboatException(
                    ErrorCode.INVALID_ARGUMENT,
                    "cannot write the units into " + target.systemd + ": " + e.getMessage(),
                    "name a directory you can write (e.g. /etc/systemd/system as root, or ~/.config/systemd/user)",
                    e);
        }
        StringBuilder text = new StringBuilder();
        written.forEach(f -> text.append("wrote ").append(f).append('\n'));
        text.append("next: systemctl daemon-reload && systemctl enable --now");
        chosen.forEach(s -> text.append(' ').append(SystemdUnits.unitName(s)).append(".timer"));
        out().result(new Exported("systemd", scheduleNames, written, null), text.toString());
        return ExitCodes.OK;
    }

    private List<ScheduleConfig> chosen(LifeboatConfig config) {
        if (config.schedules().isEmpty()) {
            throw new LifeboatException(
                    ErrorCode.NOT_FOUND,
                    "no schedules in " + config.describeSource(),
                    "add a 'schedules:' section with at least one schedule (see docs/deploy.md)");
        }
        if (names.isEmpty()) {
            return List.copyOf(config.schedules().values());
        }
        return names.stream().map(config::schedule).toList();
    }
}
