package dev.ledger.jcstress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ledger.lock.LockStrategies;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openjdk.jcstress.infra.runners.TestList;

/**
 * Fails the build when a scenario misses a strategy of the registry, for example after a new one is added to
 * {@link LockStrategies}. It reads the test list that the jcstress annotation processor generated, so it sees
 * exactly the tests that the jcstress jar runs.
 */
class EveryStrategyCoveredTest {

    @Test
    void everyScenarioHasOneTestPerRegisteredStrategy() throws ReflectiveOperationException {
        Map<Class<?>, Set<LockStrategies>> strategiesByScenario = new LinkedHashMap<>();
        int controls = 0;
        for (String name : TestList.tests()) {
            Class<?> test = Class.forName(TestList.getInfo(name).binaryName());
            LedgerState state = (LedgerState) test.getConstructor().newInstance();
            LockStrategies strategy = state.registered();
            if (strategy == null) {
                controls++;
                continue;
            }
            Class<?> scenario = test.getEnclosingClass();
            assertNotNull(scenario, name + " should be nested in the class of its scenario");
            Set<LockStrategies> seen =
                    strategiesByScenario.computeIfAbsent(scenario, s -> EnumSet.noneOf(LockStrategies.class));
            assertTrue(seen.add(strategy), scenario.getSimpleName() + " tests " + strategy + " twice");
        }
        assertFalse(strategiesByScenario.isEmpty(), "no jcstress tests found");
        assertEquals(2, controls, "expected the two negative controls");
        strategiesByScenario.forEach((scenario, seen) -> assertEquals(EnumSet.allOf(LockStrategies.class), seen,
                scenario.getSimpleName() + " should have one nested test per strategy"));
    }
}
