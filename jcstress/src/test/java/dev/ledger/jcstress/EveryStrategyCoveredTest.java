package dev.ledger.jcstress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ledger.lock.LockStrategies;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.infra.StateCase;
import org.openjdk.jcstress.infra.TestInfo;
import org.openjdk.jcstress.infra.runners.TestList;

/**
 * Fails the build when a scenario misses a strategy of the registry, for example after a new one is added to
 * {@link LockStrategies}, or when a test does not race or grade as its scenario says. It reads the test list that
 * the jcstress annotation processor generated, so it sees exactly the tests that the jcstress jar runs.
 */
class EveryStrategyCoveredTest {

    @Test
    void everyScenarioHasOneTestPerRegisteredStrategy() throws ReflectiveOperationException {
        Map<Class<?>, Set<LockStrategies>> strategiesByScenario = new LinkedHashMap<>();
        int controls = 0;
        for (String name : TestList.tests()) {
            Class<?> test = Class.forName(TestList.getInfo(name).binaryName());
            LockStrategies strategy = strategyOf(test);
            if (strategy == null) {
                controls++;
                continue;
            }
            Class<?> scenario = test.getEnclosingClass();
            assertNotNull(scenario, name + " should be nested in the class of its scenario");
            assertEquals(scenario, test.getSuperclass(), name + " should race the scenario it is nested in");
            Set<LockStrategies> seen =
                    strategiesByScenario.computeIfAbsent(scenario, s -> EnumSet.noneOf(LockStrategies.class));
            assertTrue(seen.add(strategy), scenario.getSimpleName() + " tests " + strategy + " twice");
        }
        assertFalse(strategiesByScenario.isEmpty(), "no jcstress tests found");
        assertEquals(3, controls, "expected the three negative controls: lost updates, deadlock, unlinked chain");
        strategiesByScenario.forEach((scenario, seen) -> assertEquals(EnumSet.allOf(LockStrategies.class), seen,
                scenario.getSimpleName() + " should have one nested test per strategy"));
    }

    /** A per-strategy test takes its scenario's outcome spec by inheritance; a control declares its own. */
    @Test
    void everyTestIsGradedByTheSpecItsScenarioDeclares() throws ReflectiveOperationException {
        for (String name : TestList.tests()) {
            TestInfo info = TestList.getInfo(name);
            Class<?> test = Class.forName(info.binaryName());
            Class<?> declaring = strategyOf(test) == null ? test : test.getEnclosingClass();
            List<String> declared = Arrays.stream(declaring.getDeclaredAnnotationsByType(Outcome.class))
                    .flatMap(outcome -> Arrays.stream(outcome.id()))
                    .toList();
            List<String> graded = info.cases().stream().map(StateCase::matchPattern).toList();
            assertFalse(declared.isEmpty(), declaring.getSimpleName() + " declares no outcomes");
            assertEquals(declared, graded, name + " should be graded by the outcomes of " + declaring.getSimpleName());
        }
    }

    /** Returns the registry strategy the test runs under, or {@code null} for a negative control. */
    private static LockStrategies strategyOf(Class<?> test) throws ReflectiveOperationException {
        return ((LedgerState) test.getConstructor().newInstance()).registered();
    }
}
