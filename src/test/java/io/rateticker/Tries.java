package io.rateticker;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.AnnotationBasedArgumentsProvider;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.ArgumentsSource;
import org.junit.jupiter.params.support.ParameterDeclarations;

/**
 * A property tried {@link #value()} times, each try with a seed of its own for a {@link java.util.Random} that draws
 * its inputs ({@link Gen}). The seeds come from one run seed, printed once: {@code -Dticker.seed=<it>} repeats every
 * try exactly, so a failure is reproduced by running again with the seed the log shows.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedTest(name = "try {index}, seed {0}")
@ArgumentsSource(Tries.Seeds.class)
public @interface Tries {

    int value();

    final class Seeds extends AnnotationBasedArgumentsProvider<Tries> {

        private static final long RUN_SEED = runSeed();

        /** {@code ticker.seed} if given, else a new one; printed, so that the run can be repeated. */
        private static long runSeed() {
            Long given = Long.getLong("ticker.seed");
            long seed = given != null ? given : new java.security.SecureRandom().nextLong();
            System.out.println("Property tries use run seed " + seed + " (repeat them with -Dticker.seed=" + seed + ")");
            return seed;
        }

        @Override
        protected Stream<? extends Arguments> provideArguments(ParameterDeclarations parameters, ExtensionContext context,
                Tries tries) {
            // one stream of seeds per property, so that adding or removing a property leaves the others' tries alone
            SplittableRandom seeds = new SplittableRandom(RUN_SEED ^ context.getRequiredTestMethod().getName().hashCode());
            return LongStream.generate(seeds::nextLong).limit(tries.value()).mapToObj(Arguments::of);
        }
    }
}
