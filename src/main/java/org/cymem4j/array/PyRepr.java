package org.cymem4j.array;

import java.math.BigDecimal;

/** Python's {@code repr} of the values an array prints: floats ({@code 1.0}, {@code 1e+16}) and strings ({@code '这'}). */
final class PyRepr {
    private PyRepr() {
    }

    /**
     * {@code repr(float(x))}: the shortest digits that read back as {@code x} (as Java's {@link Double#toString}
     * finds them), in fixed notation for exponents -4..15 and as {@code 1.5e-05} / {@code 1e+16} otherwise.
     */
    static String floatRepr(double x) {
        if (Double.isNaN(x)) {
            return "nan";
        }
        if (Double.isInfinite(x)) {
            return x > 0 ? "inf" : "-inf";
        }
        if (x == 0) {
            return (1 / x < 0) ? "-0.0" : "0.0";
        }
        String sign = x < 0 ? "-" : "";
        BigDecimal d = new BigDecimal(Double.toString(Math.abs(x))).stripTrailingZeros();
        String digits = d.unscaledValue().toString();
        int point = digits.length() - d.scale(); // x = 0.<digits> * 10^point
        int exponent = point - 1;                 // x = d.ddd * 10^exponent
        StringBuilder s = new StringBuilder(sign);
        if (exponent < -4 || exponent >= 16) {
            s.append(digits.charAt(0));
            if (digits.length() > 1) {
                s.append('.').append(digits, 1, digits.length());
            }
            s.append('e').append(exponent < 0 ? '-' : '+');
            int e = Math.abs(exponent);
            if (e < 10) {
                s.append('0');
            }
            return s.append(e).toString();
        }
        if (point <= 0) {
            s.append("0.");
            for (int i = 0; i < -point; i++) {
                s.append('0');
            }
            return s.append(digits).toString();
        }
        if (point >= digits.length()) {
            s.append(digits);
            for (int i = digits.length(); i < point; i++) {
                s.append('0');
            }
            return s.append(".0").toString();
        }
        return s.append(digits, 0, point).append('.').append(digits, point, digits.length()).toString();
    }
}
