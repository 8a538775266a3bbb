package dev.ledger.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@link Command} is where each command is described; the module's README summarises them in a table for readers.
 * This keeps the summary from drifting: it names every command, and every row starts with one.
 */
class CommandDocsTest {
    private static final Pattern ROW = Pattern.compile("^\\| `([A-Z-]+)[^|]*\\|.*");

    @Test
    void theReadmeTableNamesExactlyTheCommandsThatCommandDescribes() throws IOException {
        List<String> readme = Files.readAllLines(Path.of("README.md"));
        int start = readme.indexOf("## Commands");
        assertThat(start).as("the README's commands section").isNotNegative();
        Set<String> documented = new TreeSet<>();
        for (String line : readme.subList(start + 1, readme.size())) {
            if (line.startsWith("## ")) {
                break;
            }
            Matcher row = ROW.matcher(line);
            if (row.matches()) {
                documented.add(row.group(1));
                Matcher more = Pattern.compile(", `([A-Z]+)[ `]").matcher(line.substring(0, line.indexOf('|', 2)));
                while (more.find()) {
                    documented.add(more.group(1));
                }
            }
        }
        Set<String> described = Arrays.stream(Command.values()).map(Enum::name)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(documented).isEqualTo(described);
    }
}
