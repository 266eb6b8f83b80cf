package dev.kiln.cli;

import dev.kiln.runtime.KilnRuntimeException;
import dev.kiln.core.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** The {@code kiln} command: parses arguments, runs one subcommand, and turns errors into one clear line. */
@Command(name = "kiln",
        mixinStandardHelpOptions = true,
        versionProvider = KilnCli.VersionProvider.class,
        description = "Kiln: converts float ONNX models to int8 for edge deployment, and runs them.",
        subcommands = {MakertbinCommand.class, CheckerCommand.class, InferCommand.class, RunCommand.class, InfoCommand.class,
                ModifyCommand.class, PackCommand.class, VerifyCommand.class, PerfCommand.class,
                CommandLine.HelpCommand.class})
public final class KilnCli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        int status;
        try {
            status = run(args);
        } catch (OutOfMemoryError e) {
            System.err.println("error: out of memory; give Kiln more heap, e.g. KILN_JAVA_OPTS=-Xmx16g");
            status = 1;
        }
        System.exit(status);
    }

    /** Runs the command line and returns the exit status (0 success, 1 failure, 2 usage error). */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Runs the command line with the given output streams. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new KilnCli());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler(KilnCli::handle);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler((ex, a) -> {
            PrintWriter w = ex.getCommandLine().getErr();
            w.println("error: " + ex.getMessage());
            w.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
            return 2;
        });
        return cl.execute(args);
    }

    private static int handle(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        boolean verbose = System.getenv("KILN_VERBOSE") != null || parsed.originalArgs().contains("--verbose");
        if (e instanceof KilnRuntimeException) {
            err.println("error: " + e.getMessage());
        } else if (e instanceof java.io.IOException) {
            // file-system failures of the commands (an output directory that cannot be made, a full disk)
            err.println("error: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        } else {
            err.println("error: internal error in Kiln: " + e
                    + (verbose ? "" : " (run with --verbose or KILN_VERBOSE=1 for the stack trace)"));
        }
        if (verbose) {
            e.printStackTrace(err);
        }
        err.flush();
        return 1;
    }

    /** Version string from the build. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"kiln " + Version.get(), "Java " + System.getProperty("java.version")};
        }
    }
}
