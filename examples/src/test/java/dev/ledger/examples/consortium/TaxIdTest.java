package dev.ledger.examples.consortium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TaxIdTest {
    @ParameterizedTest
    @ValueSource(strings = {"52998224725", "529.982.247-25", "39053344705", "71428793860", "12345678909",
        "11144477735", "00000000191"})
    void validCpfsAreAcceptedPlainOrPunctuated(String taxId) {
        assertThat(TaxId.isValid(taxId)).isTrue();
        assertThat(TaxId.parse(taxId)).hasSize(11).containsOnlyDigits();
        assertThat(TaxId.format(TaxId.parse(taxId))).matches("\\d{3}\\.\\d{3}\\.\\d{3}-\\d{2}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"52998224724", "52998224715", "12345678901", "10000000001", "11111111111",
        "00000000000", "529.982.247-24", "5299822472", "529982247250", "529-982-247.25", "529 982 247 25",
        "52998224725 ", "５２９９８２２４７２５", ""})
    void anythingElseIsRefusedWithTheReason(String taxId) {
        assertThat(TaxId.isValid(taxId)).isFalse();
        assertThatThrownBy(() -> TaxId.parse(taxId)).isInstanceOfSatisfying(Refusal.class,
                refusal -> assertThat(refusal.reason()).isEqualTo(Refusal.Reason.BAD_REQUEST))
                .hasMessageContaining("tax id (CPF)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"52998224725", "12345678901"})
    void logsShowOnlyTheEnds(String taxId) {
        assertThat(TaxId.masked("52998224725")).isEqualTo("529.***.***-25");
        assertThat(TaxId.masked("not one")).isEqualTo("(malformed)");
        assertThat(TaxId.isWellFormed(taxId)).isTrue();
    }
}
