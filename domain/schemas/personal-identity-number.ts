import { z } from 'zod';
import { checkPersonalIdentityNumber, type PersonalIdentityNumber, type PersonalIdentityNumberProblem } from '../personal-identity-number';

// Fixed texts: they describe what is wrong without echoing the input.
const MESSAGES: Record<PersonalIdentityNumberProblem, string> = {
  format: 'personal identity number must be 12 digits (YYYYMMDDNNNC), optionally with a hyphen before the last four',
  date: 'personal identity number does not contain a valid date of birth',
  checksum: 'personal identity number has an invalid check digit',
};

export const personalIdentityNumberSchema = z
  .string({ error: MESSAGES.format })
  .transform((s, ctx): PersonalIdentityNumber => {
    const result = checkPersonalIdentityNumber(s);
    if ('problem' in result) {
      ctx.addIssue({ code: 'custom', message: MESSAGES[result.problem] });
      return z.NEVER;
    }
    return result.digits;
  });
