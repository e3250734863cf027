import { Fragment } from "react";

/** A phone number that a phone can dial: spaces kept for reading, removed for the tel: link. */
export function PhoneLink({ number }: { number: string }) {
  return (
    <a className="aid-phone" href={`tel:${number.replace(/\s+/g, "")}`}>
      {number}
    </a>
  );
}

const PHONE_NUMBER = /(0\d{3} \d{3} \d{4})/;

/** Text from the rules with any UK phone number in it made a link (the helpline in the safeguarding steps). */
export function WithPhoneLinks({ text }: { text: string }) {
  return (
    <>
      {text.split(PHONE_NUMBER).map((part, index) =>
        index % 2 === 1 ? <PhoneLink key={index} number={part} /> : <Fragment key={index}>{part}</Fragment>,
      )}
    </>
  );
}
