package dev.ledger.net.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NumbersTest {
    @ParameterizedTest
    @CsvSource({"0,0", "7,7", "-0,0", "007,7", "-42,-42", "9223372036854775807,9223372036854775807",
        "-9223372036854775808,-9223372036854775808"})
    void parsesDecimalLongs(String text, long expected) {
        assertThat(parse(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"+5", "1e3", "5.0", " 5", "5 ", "0x1", "-", "--1", "1-", "\u0665", "12a"})
    void refusesAnythingElse(String text) {
        assertThatThrownBy(() -> parse(text)).isInstanceOf(NumberFormatException.class).hasMessage("not an integer");
    }

    @ParameterizedTest
    @ValueSource(strings = {"9223372036854775808", "-9223372036854775809", "99999999999999999999999"})
    void refusesOverflow(String text) {
        assertThatThrownBy(() -> parse(text)).hasMessage("out of range");
    }

    @ParameterizedTest
    @ValueSource(strings = {"99999999999999999999x", "-99999999999999999999 "})
    void aLongStringWithAStrayCharacterIsNotAnIntegerRatherThanOutOfRange(String text) {
        assertThatThrownBy(() -> parse(text)).hasMessage("not an integer");
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 9, 10, 99, 100, -1, -10, Long.MAX_VALUE, Long.MIN_VALUE, 1234567890123L})
    void decimalLengthMatchesToString(long value) {
        assertThat(Numbers.decimalLength(value)).isEqualTo(Long.toString(value).length());
    }

    @Test
    void refusesTheEmptyString() {
        assertThatThrownBy(() -> parse("")).hasMessage("empty");
    }

    private static long parse(String text) {
        byte[] bytes = ("[" + text + "]").getBytes(StandardCharsets.UTF_8);
        return Numbers.parseLong(bytes, 1, bytes.length - 2);
    }
}
