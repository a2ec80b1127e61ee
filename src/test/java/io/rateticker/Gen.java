package io.rateticker;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Draws one test input from a seeded {@link Random}, so that the same seed gives the same inputs ({@link Tries}).
 * Sizes and numbers lean towards their edges (empty, shortest, longest, zero, extremes), where bugs live.
 */
@FunctionalInterface
public interface Gen<T> {

    T next(Random random);

    default <R> Gen<R> map(Function<? super T, ? extends R> mapping) {
        return random -> mapping.apply(next(random));
    }

    /** Draws again until the value passes; for rare rejections only. */
    default Gen<T> filter(Predicate<? super T> keep) {
        return random -> {
            for (int i = 0; i < 1000; i++) {
                T value = next(random);
                if (keep.test(value)) {
                    return value;
                }
            }
            throw new IllegalStateException("1,000 values in a row rejected by the filter");
        };
    }

    default Gen<List<T>> list(int minSize, int maxSize) {
        return random -> {
            int size = size(random, minSize, maxSize);
            List<T> values = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                values.add(next(random));
            }
            return values;
        };
    }

    @SafeVarargs
    static <T> Gen<T> of(T... values) {
        return of(List.of(values));
    }

    static <T> Gen<T> of(List<T> values) {
        return random -> values.get(random.nextInt(values.size()));
    }

    @SafeVarargs
    static <T> Gen<T> oneOf(Gen<? extends T>... choices) {
        return random -> choices[random.nextInt(choices.length)].next(random);
    }

    static Gen<Integer> ints(int min, int max) {
        return random -> size(random, min, max);
    }

    static Gen<Long> longs() {
        return random -> switch (random.nextInt(8)) {
            case 0 -> of(0L, 1L, -1L, Long.MIN_VALUE, Long.MAX_VALUE).next(random);
            default -> random.nextLong();
        };
    }

    /** Any double, NaN and the infinities included. */
    static Gen<Double> doubles() {
        return random -> switch (random.nextInt(8)) {
            case 0 -> of(0.0, -0.0, 1.0, Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, Double.NaN,
                    Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY).next(random);
            case 1 -> Double.longBitsToDouble(random.nextLong());
            default -> (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(40) - 20);
        };
    }

    /** Decimals of up to 40 digits and up to {@code maxScale} decimals. */
    static Gen<BigDecimal> decimals(int maxScale) {
        return random -> {
            BigInteger unscaled = new BigInteger(size(random, 0, 133), random); // up to 2^133: 40 digits
            return new BigDecimal(random.nextBoolean() ? unscaled : unscaled.negate(), size(random, 0, maxScale));
        };
    }

    /** Strings of {@code minLength} to {@code maxLength} chars drawn from {@code chars}. */
    static Gen<String> strings(Gen<String> chars, int minLength, int maxLength) {
        return random -> {
            int length = size(random, minLength, maxLength);
            StringBuilder text = new StringBuilder(length);
            while (text.length() < length) {
                String c = chars.next(random);
                if (text.length() + c.length() <= length) {
                    text.append(c);
                } else {
                    text.append(' ');
                }
            }
            return text.toString();
        };
    }

    /** Any UTF-16 unit (lone surrogates included), or a whole code point beyond the BMP. */
    static Gen<String> anyChar() {
        return random -> random.nextInt(8) == 0
                ? Character.toString(0x10000 + random.nextInt(Character.MAX_CODE_POINT - 0xFFFF))
                : String.valueOf((char) random.nextInt(0x10000));
    }

    static Gen<String> charRange(char from, char to) {
        return random -> String.valueOf((char) (from + random.nextInt(to - from + 1)));
    }

    static Gen<String> charsOf(String chars) {
        return random -> String.valueOf(chars.charAt(random.nextInt(chars.length())));
    }

    static Gen<byte[]> bytes(int maxLength) {
        return random -> {
            byte[] bytes = new byte[size(random, 0, maxLength)];
            random.nextBytes(bytes);
            return bytes;
        };
    }

    /** Between min and max: each of them one time in eight, else any. */
    private static int size(Random random, int min, int max) {
        return switch (random.nextInt(8)) {
            case 0 -> min;
            case 1 -> max;
            default -> min + random.nextInt(max - min + 1);
        };
    }
}
