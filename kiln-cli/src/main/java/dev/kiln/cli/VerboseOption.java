package dev.kiln.cli;

import picocli.CommandLine.Option;

/** {@code --verbose}, shared by every command; {@link KilnCli} reads it when it reports an error. */
final class VerboseOption {
    @Option(names = "--verbose", description = "print stack traces of errors")
    boolean verbose;
}
